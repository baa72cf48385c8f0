// Starts GraphiQL against the endpoint that served this page. The headers tab is where a
// JWT goes ({"Authorization": "Bearer <token>"}); it is kept in localStorage, and it is sent
// with subscriptions too, in graphql-transport-ws's connection_init payload.
(function () {
  "use strict";
  var EXAMPLE_QUERY = [
    "# convograph GraphiQL: write a query here and run it with Ctrl-Enter.",
    "# With CONVOGRAPH_AUTH=jwt, open the Headers tab below and add",
    '#   {"Authorization": "Bearer <your JWT>"}',
    "",
    "query Recent {",
    "  conversations(first: 5) {",
    "    totalCount",
    "    nodes { id title createdAt messageCount }",
    "  }",
    "}",
    "",
  ].join("\n");

  var parameters = {};
  window.location.search
    .slice(1)
    .split("&")
    .forEach(function (entry) {
      var eq = entry.indexOf("=");
      if (eq >= 0) {
        parameters[decodeURIComponent(entry.slice(0, eq))] = decodeURIComponent(entry.slice(eq + 1));
      }
    });

  function updateURL(data) {
    Object.assign(parameters, data);
    var search = Object.keys(parameters)
      .filter(function (key) { return Boolean(parameters[key]); })
      .map(function (key) {
        return encodeURIComponent(key) + "=" + encodeURIComponent(parameters[key]);
      })
      .join("&");
    history.replaceState(null, "", "?" + search);
  }

  var fetchURL = window.location.href.split("?")[0].split("#")[0];
  var subscriptionURL = new URL(fetchURL);
  subscriptionURL.protocol = subscriptionURL.protocol === "https:" ? "wss:" : "ws:";

  var fetcher = GraphiQL.createFetcher({
    url: fetchURL,
    subscriptionUrl: subscriptionURL.toString(),
    wsConnectionParams: function () {
      // Browsers cannot set headers on a WebSocket: pass the headers tab's Authorization on.
      try {
        var saved = JSON.parse(localStorage.getItem("graphiql:headers") || "{}");
        var token = saved.Authorization || saved.authorization;
        return token ? { authorization: token } : {};
      } catch (error) {
        return {};
      }
    },
  });

  function Explorer() {
    var query = React.useState(parameters.q || EXAMPLE_QUERY);
    var variables = React.useState(parameters.variables);
    var headers = React.useState(parameters.headers);
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      plugins: [GraphiQLPluginExplorer.explorerPlugin()],
      query: query[0],
      variables: variables[0],
      headers: headers[0],
      onEditQuery: function (value) { query[1](value); updateURL({ q: value }); },
      onEditVariables: function (value) { variables[1](value); updateURL({ variables: value }); },
      onEditHeaders: function (value) { headers[1](value); },
      inputValueDeprecation: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
    });
  }

  ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(Explorer));
})();
