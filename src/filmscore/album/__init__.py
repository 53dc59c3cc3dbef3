"""The soundtrack album (stage 7): candidates and album edits, selection and sequencing
for each medium, mastering, the release files, and sheet-music editions."""
