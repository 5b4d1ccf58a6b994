"""The cases app's forms, beside the pages that use them."""
