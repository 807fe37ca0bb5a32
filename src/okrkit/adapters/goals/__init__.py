"""Goals as code: the YAML format (schema), its loader and its writer."""

__all__ = ["loader", "schema", "settings", "writer"]
