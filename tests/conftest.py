"""Settings shared by every test tier."""

from hypothesis import settings

# CI machines are small and shared: a slow example is not a failure, a wrong one is.
settings.register_profile("okrkit", deadline=None, print_blob=True)
settings.load_profile("okrkit")
