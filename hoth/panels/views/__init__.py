"""The pages of the screening queue, the screening meeting and the panel."""
