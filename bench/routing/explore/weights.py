# Weighting the learned router's parts (2026-12-07): the plain mean of neighbours, clusters and words (the
# default) against weights fitted on the training history's own out-of-sample estimates of each part, the way
# the Java router could fit them from what it already computes for calibration (neighbours without the example,
# clusters in-sample, words cross-fitted over 5 folds i % 5).
#   python3 weights.py 1,2,3      all of MMLU, 5-fold with these numpy seeds (clusters in-sample inside the history)
#   CROSS_FIT_CLUSTERS=1 python3 weights.py 1    the clusters' estimates inside the history cross-fitted too
import os, sys
import numpy as np, scipy.optimize as so
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
CROSS_FIT_CLUSTERS = os.environ.get('CROSS_FIT_CLUSTERS') == '1'
sys.argv = [sys.argv[0], 'none', sys.argv[1]]
exec(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'words.py')).read().split("if sys.argv[1] == 'dev'")[0])

def knn_left_out(Xtr, ytr, k=100, T=0.2, chunk=2000):
    out = np.empty(len(Xtr))
    for a in range(0, len(Xtr), chunk):
        S = Xtr[a:a + chunk] @ Xtr.T; S[np.arange(len(S)), np.arange(a, a + len(S))] = -9
        ix = np.argpartition(-S, k, axis=1)[:, :k]; s = np.take_along_axis(S, ix, 1)
        wt = np.exp((s - s.max(1, keepdims=True)) / T); out[a:a + chunk] = (wt * ytr[ix]).sum(1) / wt.sum(1)
    return out

def cross_fitted(tr, fit):
    out = np.empty(len(tr)); inner = np.arange(len(tr)) % 5
    for j in range(5):
        out[inner == j] = fit(tr[inner != j], tr[inner == j])
    return out

words_fit = lambda a, b: words_ridge(docs_pairs, a, b, 10)
clusters_fit = lambda a, b: kmeans_gain(X[a], y[a], X[b])

for seed in map(int, sys.argv[2].split(',')):
    f = folds(n, 5, seed); scores = {name: np.empty(n) for name in ('mean', 'least squares', 'non-negative', 'z-scored mean')}
    fitted = []
    for k in range(5):
        tr, te = np.where(f != k)[0], np.where(f == k)[0]
        inside = np.c_[knn_left_out(X[tr], y[tr]), (cross_fitted(tr, clusters_fit) if CROSS_FIT_CLUSTERS
                       else kmeans_gain(X[tr], y[tr], X[tr])), cross_fitted(tr, words_fit)]
        outside = np.c_[knn(X[tr], y[tr], X[te], 100, 0.2), clusters_fit(tr, te), words_fit(tr, te)]
        A = np.c_[np.ones(len(tr)), inside]
        ls = np.linalg.lstsq(A, y[tr], rcond=None)[0][1:]
        nn = so.nnls(inside - inside.mean(0), y[tr] - y[tr].mean())[0]
        sd = inside.std(0)
        scores['mean'][te] = outside.mean(1)
        scores['least squares'][te] = outside @ ls
        scores['non-negative'][te] = outside @ nn
        scores['z-scored mean'][te] = (outside / sd).sum(1)
        fitted.append((ls.round(2), nn.round(2), sd.round(3)))
    for name, v in scores.items(): print(seed, fmt(name, metrics(v, w, s)), flush=True)
    for ls, nn, sd in fitted: print(seed, 'weights N C W: least squares', ls, 'non-negative', nn, 'sd', sd, flush=True)
