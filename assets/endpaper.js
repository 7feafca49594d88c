// placeholder until the theme lands
