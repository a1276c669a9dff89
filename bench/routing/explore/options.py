# The options part of the learned router (2026-12-08): what the answer options a prompt lists say about its
# difficulty. Needs numpy and scipy, and the dump (see README).
#   python3 options.py 1,2,3   all of MMLU, 5-fold with these numpy seeds: the measures' correlation with the
#                              gain, the parts alone, and the blends with and without them
# (N, C: the embedding's neighbours and clusters; W: words and pairs, as in words.py)
import re, sys
from words import *

MARK = re.compile(r'^\(?([A-J])[.)]\s?(.*)$')

def split(p):
    """The question's lines and the options: consecutive lettered lines A, B, C..."""
    stem, opts = [], []
    for line in p.split('\n'):
        m = MARK.match(line)
        if m and m.group(1) == 'ABCDEFGHIJ'[len(opts)]: opts.append(m.group(2))
        elif line.strip() != 'Answer:': stem.append(line)
    return '\n'.join(stem), opts

def jaccard(a, b): return len(a & b) / max(1, len(a | b))

def measures(stem, opts):
    """Word overlap of the options (largest, mean, smallest pairwise Jaccard, the same over word pairs) and the
    options' share of words found in the question; then the question's and options' log lengths, the options'
    length spread, the share of numeric options, 'all/none of the above' or 'both', a negated question."""
    toks = [set(unigrams(o)) for o in opts]; bis = [set(pairs(o)[len(unigrams(o)):]) for o in opts]
    st = set(unigrams(stem)); L = [len(o) for o in opts] or [0]
    pj = [jaccard(toks[i], toks[j]) for i in range(len(toks)) for j in range(i + 1, len(toks))] or [0]
    pb = [jaccard(bis[i], bis[j]) for i in range(len(bis)) for j in range(i + 1, len(bis))] or [0]
    so = [len(t & st) / max(1, len(t)) for t in toks] or [0]
    num = [bool(re.fullmatch(r'[\s\-+$.,0-9/%^()x]*', o)) for o in opts] or [False]
    return [max(pj), np.mean(pj), min(pj), max(pb), np.mean(pb), np.mean(so),
            np.log1p(len(stem)), np.log1p(np.mean(L)), np.std(L) / (np.mean(L) + 1), np.mean(num),
            float(any(re.search(r'all of the above|none of the above|both', o.lower()) for o in opts)),
            float(bool(re.search(r'\bnot\b|except|false', stem.lower())))]
NAMES = ['largest overlap', 'mean overlap', 'smallest overlap', 'largest pair overlap', 'mean pair overlap',
         'options\' words in the question', 'question length', 'option length', 'option length spread',
         'numeric options', 'all/none/both', 'negated question']
SPLIT = [split(p) for p in P]
M = np.array([measures(st, o) for st, o in SPLIT], float)

def options_ridge(cols, tr, te, lam=1e-3):
    Z = M[:, cols]; mu, sd = Z[tr].mean(0), Z[tr].std(0) + 1e-9
    return ridge((Z[tr] - mu) / sd, y[tr], (Z[te] - mu) / sd, lam)

if __name__ == '__main__':
    print('prompts with at least two options:', sum(len(o) >= 2 for _, o in SPLIT), 'of', n)
    for j, name in enumerate(NAMES): print(f'{name:32s} correlation with the gain {np.corrcoef(M[:, j], y)[0, 1]:+.3f}')
    parts = {'N': embedding_parts['N'], 'C': embedding_parts['C'], 'W': lambda tr, te: words_ridge(docs_pairs, tr, te, 10),
             'W with the two overlaps as columns': lambda tr, te: words_ridge_of(docs_pairs, tr, te, 10, y, M[:, [0, 1]]),
             'O: the two overlaps': lambda tr, te: options_ridge([0, 1], tr, te),
             'O6: the six overlaps': lambda tr, te: options_ridge(list(range(6)), tr, te),
             'O12: every measure': lambda tr, te: options_ridge(list(range(12)), tr, te)}
    for seed in map(int, sys.argv[1].split(',')):
        out = cross_validate(np.arange(n), folds(n, 5, seed), parts)
        for name in parts: print(seed, fmt(name, metrics(out[name], w, s)), flush=True)
        base = out['N'] + out['C']
        print(seed, fmt('mean(N, C, W): the default before', metrics((base + out['W']) / 3, w, s)))
        print(seed, fmt('mean(N, C, W with the overlaps)', metrics((base + out['W with the two overlaps as columns']) / 3, w, s)))
        for o in ('O: the two overlaps', 'O6: the six overlaps', 'O12: every measure'):
            print(seed, fmt(f'mean(N, C, W, {o.split(":")[0]})', metrics((base + out['W'] + out[o]) / 4, w, s)), flush=True)
