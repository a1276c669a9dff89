import sys, itertools; sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from common import *; from methods import *
exec(open(__import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)),'inner.py')).read().split("if sys.argv[1]=='mt'")[0])
def fitC(a,b,c=128,iters=20,shrink=10,seed=0):
    c=min(c,max(1,len(a)//10)); r=np.random.default_rng(seed); C=a[r.choice(len(a),c,replace=False)].copy()
    for it in range(iters):
        asg=np.argmax(a@C.T,1)
        for j in range(c):
            m=asg==j
            if m.any(): x=a[m].sum(0); C[j]=x/np.linalg.norm(x)
    asg=np.argmax(a@C.T,1); return C,asg
def router(a,b,c):
    n=len(a); k,T=choose(a,b)
    C,asg=fitC(a,b); cnt=np.bincount(asg,minlength=len(C)); sm=np.bincount(asg,b,minlength=len(C)); g=b.mean()
    def cgain(X,cnt,sm): S=X@C.T; W=np.exp((S-S.max(1,keepdims=True))/0.05); return (W*((sm+10*g)/(cnt+10))).sum(1)/W.sum(1)
    # ridge with LOO
    mu=a.mean(0); ym=b.mean(); Xc=a-mu; lam=0.005*n; Ainv=np.linalg.inv(Xc.T@Xc+lam*np.eye(a.shape[1])); W=Ainv@Xc.T@(b-ym)
    # LOO sample
    r=np.random.default_rng(1); idx=np.arange(n) if n<=2000 else np.sort(r.choice(n,2000,replace=False))
    fit=Xc[idx]@W+ym; h=np.einsum('ij,jk,ik->i',Xc[idx],Ainv,Xc[idx]); Rl=b[idx]-(b[idx]-fit)/(1-h)
    S=a[idx]@a.T; S[np.arange(len(idx)),idx]=-9; ix=np.argsort(-S,1)[:,:k]; s=np.take_along_axis(S,ix,1)
    ww=np.exp((s-s[:,:1])/T); Nl=(ww*b[ix]).sum(1)/ww.sum(1)
    # LOO clusters: remove own label from its cluster stats (approx: soft assignment uses own cluster)
    S2=a[idx]@C.T; Wt=np.exp((S2-S2.max(1,keepdims=True))/0.05)
    cg=(sm[None,:]+10*g-np.eye(len(C))[asg[idx]]*b[idx,None])/(cnt[None,:]+10-np.eye(len(C))[asg[idx]])
    Cl=(Wt*cg).sum(1)/Wt.sum(1)
    parts={'N':Nl,'R':Rl,'C':Cl}; best=None
    subsets=[('N','R','C'),('N',),('N','C')] if RESTRICTED else [c for rr in range(1,4) for c in itertools.combinations('NRC',rr)]
    for sub in subsets:
        v=area(sum(parts[p] for p in sub)/len(sub),b[idx])
        if best is None or v>best[0]+1e-12: best=(v,sub)
    router.log.append((k,T,best[1]))
    full={'N':knn(a,b,c,k,T),'R':(c-mu)@W+ym,'C':cgain(c,cnt,sm)}
    return sum(full[p] for p in best[1])/len(best[1])
router.log=[]
if sys.argv[1]=='mt':
    m=sys.argv[2]; g,w,s,wc,sc,ch=labels('mtbench'); y=(~wc).astype(float); X=vec('mtbench',m); n=len(y)
    out=np.empty(n)
    for i in range(n):
        tr=np.arange(n)!=i; out[i]=router(X[tr],y[tr],X[i:i+1])[0]
    print(fmt(f'MT LOO {m} stacked',metrics(out,w,s)))
    from collections import Counter; print(Counter(router.log).most_common(4))
else:
    part=sys.argv[2]; g,w,s,wc,sc,ch=labels('mmlu'); y=s-w; X=vec('mmlu','all-minilm-l6-v2-q'); n=len(y)
    half=np.random.default_rng(7).permutation(n); idx={'dev':np.sort(half[:n//2]),'held':np.sort(half[n//2:])}[part]
    Xp,yp,wp,sp=X[idx],y[idx],w[idx],s[idx]; f=folds(len(idx),5,11); out=np.empty(len(idx))
    for k in range(5):
        tr=f!=k; te=f==k; out[te]=router(Xp[tr],yp[tr],Xp[te])
    print(fmt('MMLU stacked',metrics(out,wp,sp)), router.log)
