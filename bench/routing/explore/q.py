import sys; sys.path.insert(0,__import__('os').path.dirname(__import__('os').path.abspath(__file__)))
from common import *; from methods import *
g,w,s,wc,sc,ch=labels('mtbench'); y=(~wc).astype(float); n=len(y)
for m in ['all-minilm-l6-v2-q','bge-small-en-v1.5-q']:
    X=vec('mtbench',m); Q=vec('mtbench',m,'-query')
    print(m,'doc/query cos mean',float((X*Q).sum(1).mean()))
    for k,T in [(10,1e9),(20,1e9)]:
        o1=np.empty(n); o2=np.empty(n)
        for i in range(n):
            tr=np.arange(n)!=i; o1[i]=knn(X[tr],y[tr],X[i:i+1],k,T)[0]; o2[i]=knn(X[tr],y[tr],Q[i:i+1],k,T)[0]
        print(fmt(f' k={k} doc',metrics(o1,w,s))); print(fmt(f' k={k} query',metrics(o2,w,s)))
