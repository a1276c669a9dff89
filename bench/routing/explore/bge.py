import sys; part=sys.argv[1]
sys.argv=['x','all-minilm-l6-v2-q',part,'ref']
exec(open(__import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)),'exp.py')).read().split('res={}')[0])
def z(a): return (a-a.mean())/a.std()
Xm=vec('mmlu','all-minilm-l6-v2-q')[idx]; Xb=vec('mmlu','bge-small-en-v1.5-q')[idx]
Xc=np.c_[Xm,Xb]/np.sqrt(2)
out={}
for name,XX in [('minilm',Xm),('bge',Xb),('concat',Xc)]:
    Xp=XX
    def cvx(fn):
        o=np.empty(len(idx))
        for k in range(5):
            tr=f!=k; te=f==k; o[te]=fn(XX[tr],yp[tr],XX[te])
        return o
    N=cvx(lambda a,b,c: knn(a,b,c,100,0.2)); R=cvx(lambda a,b,c: ridge(a,b,c,0.005)); C=cvx(lambda a,b,c: kmeans_gain(a,b,c))
    out[name]=(N,R,C)
    for nm,sc_ in [('N',N),('R',R),('C',C),('N+R+C',N+R+C)]: print(fmt(f'{name} {nm}',metrics(sc_,wp,sp)),flush=True)
    if name=='bge':
        for T in [0.05,0.1,0.5]:
            print(fmt(f'bge N T={T}',metrics(cvx(lambda a,b,c: knn(a,b,c,100,T)),wp,sp)),flush=True)
a=sum(out['minilm'])+sum(out['bge']); print(fmt('minilm NRC + bge NRC',metrics(a,wp,sp)))
np.save(f'/tmp/routing-explore-bge-{part}.npy',np.array([*out['minilm'],*out['bge'],*out['concat']]))
