"""viz — draw computation graphs the way the CS231n lecture does (see issue 3)."""
