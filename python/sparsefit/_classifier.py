class SparseFitClassifier: pass
