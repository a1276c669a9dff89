import sys; sys.argv=['x','all-minilm-l6-v2-q','dev','ref']
exec(open(__import__('os').path.join(__import__('os').path.dirname(__import__('os').path.abspath(__file__)),'exp.py')).read().split('res={}')[0])
for k in [50,100,200,400]:
    for T in [0.1,0.2,0.5,1e9]:
        sc_=cv(lambda a,b,c: knn(a,b,c,k,T)); print(fmt(f'N k={k} T={T}',metrics(sc_,wp,sp)),flush=True)
for m in ['M','M128']:
    sc_=cv(M[m]); print(fmt(m,metrics(sc_,wp,sp)),flush=True); np.save(f'/tmp/routing-explore-s-dev-{m}.npy',sc_)
