import sys; sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from common import *; from methods import *
# RESTRICTED=1: only the candidates the bundle's InnerValidation tries, on a larger sample
RESTRICTED=__import__('os').environ.get('RESTRICTED')=='1'
KS=[10,20,50,100] if RESTRICTED else [5,10,20,50,100,200]; TS=[0.2,1e9] if RESTRICTED else [0.1,0.2,1e9]
def area(score,gain):
    o=np.argsort(-score,kind='stable'); c=np.cumsum(gain[o]); return c.mean()
def choose(a,b,sample=4000 if RESTRICTED else 2000,seed=0):
    n=len(a); r=np.random.default_rng(seed); idx=np.arange(n) if n<=sample else np.sort(r.choice(n,sample,replace=False))
    S=a[idx]@a.T; S[np.arange(len(idx)),idx]=-9
    K=min(max(KS),n-1); ix=np.argsort(-S,1)[:,:K]; s=np.take_along_axis(S,ix,1); y=b[ix]
    best=None
    for k in KS:
        if k>n-1: continue
        for T in TS:
            ww=np.exp((s[:,:k]-s[:,:1])/T); sc=(ww*y[:,:k]).sum(1)/ww.sum(1); v=area(sc,b[idx])
            if best is None or v>best[0]: best=(v,k,T)
    return best[1],best[2]
def knn_inner(a,b,c):
    k,T=choose(a,b); choose.log.append((k,T)); return knn(a,b,c,k,T)
choose.log=[]
if sys.argv[1]=='mt':
    m=sys.argv[2]; g,w,s,wc,sc,ch=labels('mtbench'); y=(~wc).astype(float); X=vec('mtbench',m); n=len(y)
    out=np.empty(n); R=np.empty(n)
    for i in range(n):
        tr=np.arange(n)!=i; out[i]=knn_inner(X[tr],y[tr],X[i:i+1])[0]; R[i]=ridge(X[tr],y[tr],X[i:i+1],0.005)[0]
    print(fmt(f'MT LOO {m} knn inner-chosen',metrics(out,w,s)))
    from collections import Counter; print(Counter(choose.log).most_common(4))
    print(fmt(f'MT LOO {m} knn inner + ridge',metrics(out+R,w,s)))
else:
    part=sys.argv[2]; g,w,s,wc,sc,ch=labels('mmlu'); y=s-w; X=vec('mmlu','all-minilm-l6-v2-q'); n=len(y)
    half=np.random.default_rng(7).permutation(n); idx={'dev':np.sort(half[:n//2]),'held':np.sort(half[n//2:])}[part]
    Xp,yp,wp,sp=X[idx],y[idx],w[idx],s[idx]; f=folds(len(idx),5,11); out=np.empty(len(idx))
    for k in range(5):
        tr=f!=k; te=f==k; out[te]=knn_inner(Xp[tr],yp[tr],Xp[te])
    print(fmt('MMLU knn inner-chosen',metrics(out,wp,sp)), choose.log)
    np.save(f'/tmp/routing-explore-inner-{part}.npy',out)
