package io.sparsefit.core.path;

/** Called on the path's thread after each point is complete (all folds and the refit on all data). */
public interface PathListener {

    PathListener NONE = (index, total, point) -> { };

    void onPoint(int index, int total, PathPoint point);
}
