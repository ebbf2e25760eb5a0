"""The course's data sets (CSV) and their data dictionaries (YAML), read by ..datasets."""
