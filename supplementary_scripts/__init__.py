"""Stand-alone scripts around the API; run them as files.

A package only so that the tests can import them.
"""
