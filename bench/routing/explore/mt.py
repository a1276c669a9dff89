import sys; sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from common import *; from methods import *
m=sys.argv[1]
g,w,s,wc,sc,ch=labels('mtbench'); y=(~wc).astype(float)  # strong wins
X=vec('mtbench',m); n=len(y)
def loo(fn):
    out=np.empty(n)
    for i in range(n):
        tr=np.arange(n)!=i; out[i]=fn(X[tr],y[tr],X[i:i+1])[0]
    return out
for k in [3,5,10,20,40]:
    for T in [0.05,0.2,1e9]:
        print(fmt(f'LOO knn k={k} T={T}',metrics(loo(lambda a,b,c: knn(a,b,c,k,T)),w,s)))
print(fmt('LOO ridge .005',metrics(loo(lambda a,b,c: ridge(a,b,c,0.005)),w,s)))
print(fmt('LOO ridge .05',metrics(loo(lambda a,b,c: ridge(a,b,c,0.05)),w,s)))
gg=np.unique(g); print([(c,round(y[g==c].mean(),2),(g==c).sum()) for c in gg])
