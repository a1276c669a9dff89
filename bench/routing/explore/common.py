import numpy as np, os
D=__import__("os").path.join(__import__("os").path.dirname(__import__("os").path.abspath(__file__)),"../target/dump")
def labels(name):
    import csv
    rows=list(csv.DictReader(open(f'{D}/{name}.tsv'),delimiter='\t'))
    g=np.array([r['group'] for r in rows]); w=np.array([float(r['weakQuality']) for r in rows]); s=np.array([float(r['strongQuality']) for r in rows])
    wc=np.array([r['weakCorrect']=='true' for r in rows]); sc=np.array([r['strongCorrect']=='true' for r in rows])
    ch=np.array([int(r['chars']) for r in rows])
    return g,w,s,wc,sc,ch
def vec(name,model,suffix=''):
    v=np.fromfile(f'{D}/{name}-{model}{suffix}.f32',dtype='<f4'); return v.reshape(-1,384)
def curve(score,w,s):
    o=np.argsort(-score,kind='stable'); sc=score[o]; d=(s-w)[o]; n=len(w)
    cum=np.cumsum(d); last=np.r_[sc[1:]!=sc[:-1],True]
    share=np.r_[0,(np.arange(1,n+1)/n)[last]]; q=(w.sum()+np.r_[0,cum[last]])/n
    return share,q
def metrics(score,w,s):
    share,q=curve(score,w,s); wq=w.mean(); sq=s.mean(); g=(q-wq)/(sq-wq)
    apgr=np.sum((share[1:]-share[:-1])*(g[1:]+g[:-1])/2)
    def calls(t):
        if q[0]>=t: return 0.0
        i=np.argmax(q>=t)
        if q[i]<t: return 1.0
        return share[i-1]+(share[i]-share[i-1])*(t-q[i-1])/(q[i]-q[i-1])
    return apgr, calls(wq+.5*(sq-wq)), calls(wq+.8*(sq-wq)), calls(.95*sq)
def fmt(name,m): return f'{name:50s} APGR {m[0]:.3f} CPT50 {100*m[1]:.1f}% CPT80 {100*m[2]:.1f}% 95% {100*m[3]:.1f}%'
def folds(n,k,seed):
    r=np.random.default_rng(seed); p=r.permutation(n); f=np.empty(n,int); f[p]=np.arange(n)%k; return f
