"""One module per migration, applied in order by `okrkit db upgrade`."""
