"""The bottom layer: values, settings, paths and errors shared by every other layer.

Only the standard library and platformdirs are imported here.
"""
