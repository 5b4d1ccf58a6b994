"""What verify_audit and audit_checkpoint say about the log, in words an
operator and a data protection officer can act on."""

from datetime import UTC

from .checkpoints import UncheckableCheckpoint

# Verification.kind -> what happened, for the "Problem:" line.
PROBLEMS = {
    "altered": "altered",
    "index": "altered",
    "removed": "removed or reordered",
    "rebuilt": "recomputed (the chain was rebuilt)",
    "truncated": "the newest events were removed",
}


def describe(event):
    at = event.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"event #{event.pk} at {at}, by {event.actor or 'nobody signed in'}, action {event.action!r}"


def failure(result):
    """The lines that explain a Verification that is not intact."""
    if result.kind == "unverifiable":
        lines = [
            "The audit log could not be checked: it is NOT known to be intact.",
            f"First event that cannot be checked: {describe(result.first_broken)}.",
            f"Why: {result.problem}.",
            "Configure every audit key the log was ever signed with (HOTH_AUDIT_KEYS): old keys are kept to verify.",
        ]
    else:
        lines = ["The audit log has been tampered with."]
        if result.first_broken is not None:
            lines.append(f"First broken entry: {describe(result.first_broken)}.")
        lines += [f"Why: {result.problem}.", f"Problem: {PROBLEMS[result.kind]}."]
    if result.checkpoint is None:
        lines.append(f"{result.checked} events before it were checked and hold.")
    elif result.checkpoint.path is not None:
        lines.append(f"The checkpoint is the file {result.checkpoint.path}.")
    return "\n".join(lines)


def checkpoint_problem(error):
    if isinstance(error, UncheckableCheckpoint):
        return f"The checkpoint {error.path} could not be checked: {error.why}."
    return f"The checkpoint {error.path} cannot be trusted: {error.why}."
