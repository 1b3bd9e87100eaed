"""The plain-Python domain of CMDesk: no Qt, no SQL, no HTTP."""
