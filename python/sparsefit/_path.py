class RegularizationPath: pass
def regularization_path(): pass
