"""Deliberately empty: no pupil model is registered in Django admin, for anyone.

Pupil data is read and changed in the app only, where each look is scoped to the
user's roles and written to the access log (learners.models.AccessLog). The admin
would bypass both. tests/regions/test_admin.py keeps it so.
"""
