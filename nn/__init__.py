"""nn — neurons, layers and MLPs on the autograd engine (see issue 4)."""
