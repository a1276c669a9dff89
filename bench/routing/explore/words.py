# The words part of the learned router (2026-12-07): ridge regression of the gain on TF-IDF words and word
# pairs, alone and averaged with the embedding parts. Needs numpy and scipy, and the dump (see README).
#   python3 words.py dev          variants on the development half (5-fold, seed 11), and blends
#   python3 words.py seeds 1,2,3  all of MMLU, 5-fold with these numpy seeds: the parts, other term sets, blends
#   python3 words.py later 1,2,3  variants tried on 2026-12-07 afternoon, not kept: length and digit features,
#                                 the two models' correctness fitted apart, more neighbours, rank means
#   (N, R, C: the embedding's neighbours, ridge, clusters; W: words and pairs; K: neighbours over the words)
import collections, csv, glob, json, os, re, sys
import numpy as np, scipy.sparse as sp, scipy.sparse.linalg as sla
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *; from methods import *

csv.field_size_limit(10**9)
M = os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../../shared/data/routing/mmlu')
contaminated = set(json.loads(l)['eval_prompt'] for l in open(f'{M}/contaminated_prompts.jsonl') if l.strip())
P = []  # the prompts in LabelledSets' order: file name, then row
for f in sorted(glob.glob(f'{M}/mmlu_*.csv')):
    P += [r['prompt'] for r in csv.DictReader(open(f, newline='', encoding='utf-8')) if r['prompt'] not in contaminated]
g, w, s, wc, sc, ch = labels('mmlu'); y = s - w; n = len(y)
assert len(P) == n and all(len(p) == c for p, c in zip(P, ch)), 'prompts and dump disagree'
X = vec('mmlu', 'all-minilm-l6-v2-q')

TOKEN = re.compile(r"[a-z]+|[0-9]+|[^\sa-z0-9]")
def unigrams(p): return TOKEN.findall(p.lower())
def pairs(p): t = unigrams(p); return t + [a + ' ' + b for a, b in zip(t, t[1:])]
def triples(p): t = unigrams(p); return pairs(p) + [' '.join(x) for x in zip(t, t[1:], t[2:])]
def chars(p): q = ' '.join(p.lower().split()); return [q[i:i + m] for m in range(3, 6) for i in range(len(q) - m + 1)]

def tfidf(docs, train, rows, min_df=3):
    df = collections.Counter()
    for i in train: df.update(set(docs[i]))
    vocab = {t: j for j, t in enumerate(t for t, c in df.items() if c >= min_df)}
    idf = np.array([np.log((1 + len(train)) / (1 + df[t])) + 1 for t in vocab])
    r, c, v = [], [], []
    for k, i in enumerate(rows):
        for t, count in collections.Counter(x for x in docs[i] if x in vocab).items():
            r.append(k); c.append(vocab[t]); v.append(1 + np.log(count))
    Z = sp.csr_matrix((v, (r, c)), shape=(len(rows), len(vocab))).multiply(idf).tocsr()
    norm = np.sqrt(Z.multiply(Z).sum(1)).A1; norm[norm == 0] = 1
    return sp.diags(1 / norm) @ Z

def words_ridge(docs, tr, te, lam):
    Z = tfidf(docs, tr, np.r_[tr, te]); A, B = Z[:len(tr)], Z[len(tr):]
    m = y[tr].mean(); wt = sla.lsqr(A, y[tr] - m, damp=np.sqrt(lam), atol=1e-6, btol=1e-6, iter_lim=500)[0]
    return B @ wt + m

def words_neighbours(docs, tr, te, k=100, T=0.1):
    Z = tfidf(docs, tr, np.r_[tr, te]); S = (Z[len(tr):] @ Z[:len(tr)].T).toarray()
    ix = np.argpartition(-S, k, axis=1)[:, :k]; sv = np.take_along_axis(S, ix, 1)
    wt = np.exp((sv - sv.max(1, keepdims=True)) / T); return (wt * y[tr][ix]).sum(1) / wt.sum(1)

def cross_validate(idx, f, parts):
    out = {name: np.empty(len(idx)) for name in parts}
    for k in range(5):
        tr, te = idx[f != k], idx[f == k]
        for name, fn in parts.items(): out[name][f == k] = fn(tr, te)
    return out

embedding_parts = {'N': lambda tr, te: knn(X[tr], y[tr], X[te], 100, 0.2), 'R': lambda tr, te: ridge(X[tr], y[tr], X[te]),
                   'C': lambda tr, te: kmeans_gain(X[tr], y[tr], X[te])}
docs_pairs = [pairs(p) for p in P]

def words_ridge_of(docs, tr, te, lam, target, extra=None):
    Z = tfidf(docs, tr, np.r_[tr, te])
    if extra is not None:  # dense columns, standardised on the training rows
        E = extra[np.r_[tr, te]]; Z = sp.hstack([Z, sp.csr_matrix((E - E[:len(tr)].mean(0)) / E[:len(tr)].std(0))]).tocsr()
    A, B = Z[:len(tr)], Z[len(tr):]; m = target[tr].mean()
    return B @ sla.lsqr(A, target[tr] - m, damp=np.sqrt(lam), atol=1e-6, btol=1e-6, iter_lim=500)[0] + m

if __name__ == '__main__':
    if sys.argv[1] == 'later':
        import scipy.stats as st
        meta = np.c_[np.log(ch), [sum(c.isdigit() for c in p) / len(p) for p in P]]
        parts = dict(embedding_parts)
        parts['W'] = lambda tr, te: words_ridge(docs_pairs, tr, te, 10)
        parts['W with length and digits'] = lambda tr, te: words_ridge_of(docs_pairs, tr, te, 10, y, meta)
        for a, b in [(10, 3), (30, 10), (3, 10)]:
            parts[f'W as strong minus weak (penalties {a} and {b})'] = \
                lambda tr, te, a=a, b=b: words_ridge_of(docs_pairs, tr, te, a, s) - words_ridge_of(docs_pairs, tr, te, b, w)
        parts['N, strong (k=100) minus weak (k=50)'] = lambda tr, te: knn(X[tr], s[tr], X[te], 100, 0.2) - knn(X[tr], w[tr], X[te], 50, 0.2)
        parts['N, k=200'] = lambda tr, te: knn(X[tr], y[tr], X[te], 200, 0.2)
        for seed in map(int, sys.argv[2].split(',')):
            out = cross_validate(np.arange(n), folds(n, 5, seed), parts)
            rank = lambda v: st.rankdata(v) / len(v)
            for name in parts: print(seed, fmt(name, metrics(out[name], w, s)), flush=True)
            print(seed, fmt('mean(N, C, W): the default', metrics((out['N'] + out['C'] + out['W']) / 3, w, s)))
            print(seed, fmt('mean of ranks of N, C, W', metrics(rank(out['N']) + rank(out['C']) + rank(out['W']), w, s)))
            for name in parts:
                if name.startswith('W') and name != 'W': print(seed, fmt(f'mean(N, C, {name})', metrics((out['N'] + out['C'] + out[name]) / 3, w, s)))
                if name.startswith('N,'): print(seed, fmt(f'mean({name}, C, W)', metrics((out[name] + out['C'] + out['W']) / 3, w, s)))
    elif sys.argv[1] == 'dev':
        half = np.random.default_rng(7).permutation(n); idx = np.sort(half[:n // 2]); f = folds(len(idx), 5, 11)
        docs = {'unigrams': [unigrams(p) for p in P], 'pairs': docs_pairs, 'triples': [triples(p) for p in P],
                'chars': [chars(p) for p in P]}
        parts = dict(embedding_parts)
        for lam in (3, 10, 20, 30): parts[f'words (pairs), penalty {lam}'] = lambda tr, te, lam=lam: words_ridge(docs_pairs, tr, te, lam)
        for name in ('unigrams', 'triples', 'chars'): parts[f'words ({name}), penalty 10'] = lambda tr, te, d=docs[name]: words_ridge(d, tr, te, 10)
        out = cross_validate(idx, f, parts)
        for name, v in out.items(): print(fmt(name, metrics(v, w[idx], s[idx])), flush=True)
        W = out['words (pairs), penalty 10']
        for name, v in [('mean(N, R, C)', (out['N'] + out['R'] + out['C']) / 3), ('mean(N, R, C, words)', (out['N'] + out['R'] + out['C'] + W) / 4),
                        ('mean(N, C, words)', (out['N'] + out['C'] + W) / 3), ('mean(N, words)', (out['N'] + W) / 2)]:
            print(fmt(name, metrics(v, w[idx], s[idx])))
    else:
        idx = np.arange(n)
        parts = dict(embedding_parts)
        parts['W'] = lambda tr, te: words_ridge(docs_pairs, tr, te, 10)
        parts['K'] = lambda tr, te: words_neighbours(docs_pairs, tr, te)
        variants = {'words, unigrams only': [unigrams(p) for p in P], 'words, pairs and triples': [triples(p) for p in P],
                    'character 3- to 5-grams': [chars(p) for p in P]}
        for name, d in variants.items(): parts[name] = lambda tr, te, d=d: words_ridge(d, tr, te, 10)
        for seed in map(int, sys.argv[2].split(',')):
            out = cross_validate(idx, folds(n, 5, seed), parts)
            for name in variants: print(seed, fmt(name, metrics(out[name], w, s)), flush=True)
            for combo in ['N', 'C', 'W', 'K', 'NRC', 'NC', 'NRCW', 'NCW', 'NCWK', 'NRCWK']:
                print(seed, fmt(combo, metrics(sum(out[c] for c in combo) / len(combo), w, s)), flush=True)
