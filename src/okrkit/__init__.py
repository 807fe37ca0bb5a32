"""okrkit keeps a team's KPIs and OKRs in one place and connects them."""

__version__ = "0.1.0"

__all__ = ["__version__"]
