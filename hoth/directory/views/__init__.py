"""The directory's pages: staff keeping it (staff.py) and the public
directory for children and families (public.py)."""
