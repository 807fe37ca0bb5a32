"""The web app: server-rendered pages and the JSON API, thin views on the services."""

__all__ = ["api", "app", "pages", "problems"]
