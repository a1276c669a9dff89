// Plugboard's GraphiQL: queries and mutations over POST /graphql on this server. The admin key,
// when a mutation needs it, goes into the Headers tab as {"Authorization": "Bearer <key>"}.
(function () {
  'use strict';
  var fetcher = GraphiQL.createFetcher({ url: window.location.origin + '/graphql' });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: '{\n  tools(first: 10) {\n    items { name description }\n    pageInfo { hasNextPage endCursor }\n  }\n}\n'
  }));
})();
