"""The course's own content: its chapters' widgets, practice questions and data sets."""
