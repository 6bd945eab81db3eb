def build(demo):
    pass
