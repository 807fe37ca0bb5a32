"""The pages' forms, one module per feature: what a person typed, read into domain
objects or into errors that each name their input."""

__all__ = [
    "alerts",
    "check_ins",
    "initiatives",
    "key_results",
    "kpis",
    "objectives",
    "subscriptions",
]
