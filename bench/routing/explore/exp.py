import sys, numpy as np, time
sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from common import *; from methods import *
g,w,s,wc,sc,ch=labels('mmlu'); y=s-w
models=sys.argv[1].split('+'); part=sys.argv[2]; which=sys.argv[3].split(',')
X=np.concatenate([vec('mmlu',m) for m in models],1)
if len(models)>1: X/=np.linalg.norm(X,axis=1,keepdims=True)
n=len(y); half=np.random.default_rng(7).permutation(n); dev=np.sort(half[:n//2]); held=np.sort(half[n//2:])
idx={'dev':dev,'held':held,'all':np.arange(n)}[part]
Xp,yp,wp,sp=X[idx],y[idx],w[idx],s[idx]; f=folds(len(idx),5,11 if part!='all' else 20261206)
def cv(fn):
    out=np.empty(len(idx))
    for k in range(5):
        tr=f!=k; te=f==k; out[te]=fn(Xp[tr],yp[tr],Xp[te])
    return out
M={
 'ref':lambda a,b,c: knn(a,b,c,10),
 'N':lambda a,b,c: knn(a,b,c,100,0.2),
 'N50':lambda a,b,c: knn(a,b,c,50,0.05),
 'N200':lambda a,b,c: knn(a,b,c,200,0.05),
 'N100t05':lambda a,b,c: knn(a,b,c,100,0.05),
 'N300t03':lambda a,b,c: knn(a,b,c,300,0.03),
 'R':lambda a,b,c: ridge(a,b,c,0.005),
 'R02':lambda a,b,c: ridge(a,b,c,0.02),
 'R001':lambda a,b,c: ridge(a,b,c,0.001),
 'C':lambda a,b,c: kmeans_gain(a,b,c),
 'C32':lambda a,b,c: kmeans_gain(a,b,c,32),
 'C512':lambda a,b,c: kmeans_gain(a,b,c,512,0.03),
 'L':lambda a,b,c: (lambda P:P[:,2]-P[:,0])(softmax_reg(a,(b+1).astype(int),c)),
 'L1':lambda a,b,c: (lambda P:P[:,2]-P[:,0])(softmax_reg(a,(b+1).astype(int),c,lam=1e-2)),
 'M':lambda a,b,c: mlp(a,b,c),
 'M128':lambda a,b,c: mlp(a,b,c,h=128,epochs=20,wd=1e-3),
}
res={}
for m in which:
    t=time.time(); sc_=cv(M[m]); res[m]=sc_; np.save(f'/tmp/routing-explore-s-{"+".join(models)}-{part}-{m}.npy',sc_)
    print(fmt(m,metrics(sc_,wp,sp)),f'{time.time()-t:.0f}s',flush=True)
def z(a): return (a-a.mean())/a.std()
if len(which)>1:
    print(fmt('mean(all z)',metrics(sum(z(res[m]) for m in which),wp,sp)))
