import sys; sys.argv=['x','all-minilm-l6-v2-q','dev','ref']
exec(open(__import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)),'exp.py')).read().split('res={}')[0])
def z(a): return (a-a.mean())/a.std()
N=cv(lambda a,b,c: knn(a,b,c,100,0.2)); R=cv(lambda a,b,c: ridge(a,b,c,0.005)); C=cv(lambda a,b,c: kmeans_gain(a,b,c))
print(fmt('mean N R C (default)',metrics(N+R+C,wp,sp)))
C32=cv(lambda a,b,c: kmeans_gain(a,b,c,32)); print(fmt('C32',metrics(C32,wp,sp)))
C512=cv(lambda a,b,c: kmeans_gain(a,b,c,512,0.03)); print(fmt('C512',metrics(C512,wp,sp)))
print(fmt('N R C C32 C512',metrics(N+R+C+C32+C512,wp,sp)))
def prop(a,b,c,k=30):
    S=a@a.T; np.fill_diagonal(S,-9); ix=np.argpartition(-S,k,1)[:,:k]; b2=0.5*b+0.5*b[ix].mean(1)
    return knn(a,b2,c,100,0.2)
P=cv(prop); print(fmt('propagated labels then N',metrics(P,wp,sp)))
print(fmt('P R C',metrics(P+R+C,wp,sp)))
