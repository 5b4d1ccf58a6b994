"""Pure-Python analytics: scoring, matching, check digits. No Django imports here,
so every function can be tested alone and moved to another engine unchanged."""
