import numpy as np
def knn(Xtr,ytr,Xte,k=10,T=None,chunk=2000):
    out=np.empty(len(Xte))
    for a in range(0,len(Xte),chunk):
        S=Xte[a:a+chunk]@Xtr.T
        idx=np.argpartition(-S,k,axis=1)[:,:k]; s=np.take_along_axis(S,idx,1); y=ytr[idx]
        if T is None: out[a:a+chunk]=y.mean(1)
        else:
            wgt=np.exp((s-s.max(1,keepdims=True))/T); out[a:a+chunk]=(wgt*y).sum(1)/wgt.sum(1)
    return out
def ridge(Xtr,ytr,Xte,lam=0.005):
    n,d=Xtr.shape; mu=Xtr.mean(0); ym=ytr.mean(); Xc=Xtr-mu
    W=np.linalg.solve(Xc.T@Xc+lam*n*np.eye(d),Xc.T@(ytr-ym)); return (Xte-mu)@W+ym
def softmax_reg(Xtr,cls,Xte,lam=1e-3,iters=300,lr=0.5,K=3):
    # multinomial logistic regression, full-batch gradient descent with momentum
    n,d=Xtr.shape; mu=Xtr.mean(0); sd=Xtr.std(0)+1e-6; A=np.c_[(Xtr-mu)/sd,np.ones(n)]; B=np.c_[(Xte-mu)/sd,np.ones(len(Xte))]
    W=np.zeros((d+1,K)); V=np.zeros_like(W); Y=np.eye(K)[cls]
    for it in range(iters):
        Z=A@W; Z-=Z.max(1,keepdims=True); P=np.exp(Z); P/=P.sum(1,keepdims=True)
        G=A.T@(P-Y)/n; G[:-1]+=lam*W[:-1]; V=0.9*V-lr*G; W+=V
    Z=B@W; Z-=Z.max(1,keepdims=True); P=np.exp(Z); P/=P.sum(1,keepdims=True); return P
def mlp(Xtr,ytr,Xte,h=64,epochs=30,lr=1e-3,wd=1e-4,seed=0,bs=128):
    r=np.random.default_rng(seed); n,d=Xtr.shape; mu=Xtr.mean(0); sd=Xtr.std(0)+1e-6
    A=(Xtr-mu)/sd; B=(Xte-mu)/sd; W1=r.normal(0,1/np.sqrt(d),(d,h)); b1=np.zeros(h); W2=r.normal(0,1/np.sqrt(h),h); b2=ytr.mean()
    ps=[W1,b1,W2]; m=[np.zeros_like(p) for p in ps]; v=[np.zeros_like(p) for p in ps]; t=0
    for ep in range(epochs):
        o=r.permutation(n)
        for a in range(0,n,bs):
            i=o[a:a+bs]; x=A[i]; H=np.tanh(x@W1+b1); p=H@W2+b2; e=(p-ytr[i])/len(i)
            gW2=H.T@e; gH=np.outer(e,W2)*(1-H*H); gW1=x.T@gH; gb1=gH.sum(0)
            t+=1
            for j,(p_,g) in enumerate(zip(ps,[gW1+wd*W1,gb1,gW2+wd*W2])):
                m[j]=0.9*m[j]+0.1*g; v[j]=0.999*v[j]+0.001*g*g
                p_-=lr*(m[j]/(1-0.9**t))/(np.sqrt(v[j]/(1-0.999**t))+1e-8)
    return np.tanh(B@W1+b1)@W2+b2
def kmeans_gain(Xtr,ytr,Xte,c=128,T=0.05,iters=20,seed=0,shrink=10):
    r=np.random.default_rng(seed); C=Xtr[r.choice(len(Xtr),c,replace=False)].copy()
    for it in range(iters):
        a=np.argmax(Xtr@C.T,1)
        for j in range(c):
            m=a==j
            if m.any(): x=Xtr[m].sum(0); C[j]=x/np.linalg.norm(x)
    a=np.argmax(Xtr@C.T,1); g=ytr.mean(); cnt=np.bincount(a,minlength=c); sm=np.bincount(a,ytr,minlength=c)
    cg=(sm+shrink*g)/(cnt+shrink)
    S=Xte@C.T; Wt=np.exp((S-S.max(1,keepdims=True))/T); return (Wt*cg).sum(1)/Wt.sum(1)
