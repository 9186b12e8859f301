"""The Textual app. Only this package and the command line's `app` entry import Textual."""
