# description: The system read-only (/usr and its merged-/usr links, /etc, /opt): a base for other profiles.
include usr
ro /etc
ro-try /opt
