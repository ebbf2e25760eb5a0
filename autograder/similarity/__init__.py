"""`course similarity`: which submissions of an assignment share passages with each other,
with the readings or with the book (fingerprint, compare, report; run ties them together)."""
