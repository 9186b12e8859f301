"""Tests of the Textual app: Pilot key presses checked against the store, and SVG snapshots."""
