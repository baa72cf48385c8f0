var ut=Object.defineProperty;var pt=(e,t,n)=>t in e?ut(e,t,{enumerable:!0,configurable:!0,writable:!0,value:n}):e[t]=n;var G=(e,t,n)=>pt(e,typeof t!="symbol"?t+"":t,n);function M(e){return e===null?"null":Array.isArray(e)?"array":typeof e}function $(e){return M(e)==="object"}function gt(e){return Array.isArray(e)&&e.length>0&&e.every(t=>"message"in t)}function ae(e,t){return e.length<124?e:t}var Se="graphql-transport-ws";var I=(e=>(e[e.InternalServerError=4500]="InternalServerError",e[e.InternalClientError=4005]="InternalClientError",e[e.BadRequest=4400]="BadRequest",e[e.BadResponse=4004]="BadResponse",e[e.Unauthorized=4401]="Unauthorized",e[e.Forbidden=4403]="Forbidden",e[e.SubprotocolNotAcceptable=4406]="SubprotocolNotAcceptable",e[e.ConnectionInitialisationTimeout=4408]="ConnectionInitialisationTimeout",e[e.ConnectionAcknowledgementTimeout=4504]="ConnectionAcknowledgementTimeout",e[e.SubscriberAlreadyExists=4409]="SubscriberAlreadyExists",e[e.TooManyInitialisationRequests=4429]="TooManyInitialisationRequests",e))(I||{}),D=(e=>(e.ConnectionInit="connection_init",e.ConnectionAck="connection_ack",e.Ping="ping",e.Pong="pong",e.Subscribe="subscribe",e.Next="next",e.Error="error",e.Complete="complete",e))(D||{});function Me(e){if(!$(e))throw new Error(`Message is expected to be an object, but got ${M(e)}`);if(!e.type)throw new Error("Message is missing the 'type' property");if(typeof e.type!="string")throw new Error(`Message is expects the 'type' property to be a string, but got ${M(e.type)}`);switch(e.type){case"connection_init":case"connection_ack":case"ping":case"pong":{if(e.payload!=null&&!$(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object or nullish or missing, but got "${e.payload}"`);break}case"subscribe":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${M(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!$(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${M(e.payload)}`);if(typeof e.payload.query!="string")throw new Error(`"${e.type}" message payload expects the 'query' property to be a string, but got ${M(e.payload.query)}`);if(e.payload.variables!=null&&!$(e.payload.variables))throw new Error(`"${e.type}" message payload expects the 'variables' property to be a an object or nullish or missing, but got ${M(e.payload.variables)}`);if(e.payload.operationName!=null&&M(e.payload.operationName)!=="string")throw new Error(`"${e.type}" message payload expects the 'operationName' property to be a string or nullish or missing, but got ${M(e.payload.operationName)}`);if(e.payload.extensions!=null&&!$(e.payload.extensions))throw new Error(`"${e.type}" message payload expects the 'extensions' property to be a an object or nullish or missing, but got ${M(e.payload.extensions)}`);break}case"next":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${M(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!$(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${M(e.payload)}`);break}case"error":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${M(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!gt(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an array of GraphQL errors, but got ${JSON.stringify(e.payload)}`);break}case"complete":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${M(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);break}default:throw new Error(`Invalid message 'type' property "${e.type}"`)}return e}function Ie(e,t){return Me(typeof e=="string"?JSON.parse(e,t):e)}function K(e,t){return Me(e),JSON.stringify(e,t)}function le(e){let{url:t,connectionParams:n,lazy:r=!0,onNonLazyError:s=console.error,lazyCloseTimeout:a=0,keepAlive:h=0,disablePong:m,connectionAckWaitTimeout:S=0,retryAttempts:_=5,retryWait:V=async function(g){let c=Math.pow(2,g);await new Promise(p=>setTimeout(p,c*1e3+Math.floor(Math.random()*2700+300)))},shouldRetry:q=ce,on:C,webSocketImpl:oe,generateID:ct=function(){return"xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g,g=>{let c=Math.random()*16|0;return(g=="x"?c:c&3|8).toString(16)})},jsonMessageReplacer:X,jsonMessageReviver:lt}=e,H;if(oe){if(!ft(oe))throw new Error("Invalid WebSocket implementation provided");H=oe}else typeof WebSocket<"u"?H=WebSocket:typeof global<"u"?H=global.WebSocket||global.MozWebSocket:typeof window<"u"&&(H=window.WebSocket||window.MozWebSocket);if(!H)throw new Error("WebSocket implementation missing; on Node you can `import WebSocket from 'ws';` and pass `webSocketImpl: WebSocket` to `createClient`");let L=H,x=(()=>{let d=(()=>{let c={};return{on(p,v){return c[p]=v,()=>{delete c[p]}},emit(p){"id"in p&&c[p.id]?.(p)}}})(),g={connecting:C?.connecting?[C.connecting]:[],opened:C?.opened?[C.opened]:[],connected:C?.connected?[C.connected]:[],ping:C?.ping?[C.ping]:[],pong:C?.pong?[C.pong]:[],message:C?.message?[d.emit,C.message]:[d.emit],closed:C?.closed?[C.closed]:[],error:C?.error?[C.error]:[]};return{onMessage:d.on,on(c,p){let v=g[c];return v.push(p),()=>{let b=v.indexOf(p);b>-1&&v.splice(b,1)}},emit(c,...p){for(let v of[...g[c]])v(...p)}}})();function se(d){let g=[x.on("error",c=>{g.forEach(p=>p()),d(c)}),x.on("closed",c=>{g.forEach(p=>p()),d(c)})];return()=>g.forEach(c=>c())}let O,R=0,ie,z=!1,Z=0,we=!1;async function Ee(){clearTimeout(ie);let[d,g]=await(O??(O=new Promise((v,b)=>(async()=>{if(z){if(await V(Z),!R)return O=void 0,b({code:1e3,reason:"All Subscriptions Gone"});Z++}x.emit("connecting",z);let u=new L(typeof t=="function"?await t():t,Se),F,Q;function ee(){isFinite(h)&&h>0&&(clearTimeout(Q),Q=setTimeout(()=>{u.readyState===L.OPEN&&(u.send(K({type:D.Ping})),x.emit("ping",!1,void 0))},h))}se(T=>{O=void 0,clearTimeout(F),clearTimeout(Q),b(T),T instanceof J&&(u.close(4499,"Terminated"),u.onerror=null,u.onclose=null)}),u.onerror=T=>x.emit("error",T),u.onclose=T=>x.emit("closed",T),u.onopen=async()=>{try{x.emit("opened",u);let T=typeof n=="function"?await n():n;if(u.readyState!==L.OPEN)return;u.send(K(T?{type:D.ConnectionInit,payload:T}:{type:D.ConnectionInit},X)),isFinite(S)&&S>0&&(F=setTimeout(()=>{u.close(I.ConnectionAcknowledgementTimeout,"Connection acknowledgement timeout")},S)),ee()}catch(T){x.emit("error",T),u.close(I.InternalClientError,ae(T instanceof Error?T.message:String(T),"Internal client error"))}};let W=!1;u.onmessage=({data:T})=>{try{let E=Ie(T,lt);if(x.emit("message",E),E.type==="ping"||E.type==="pong"){x.emit(E.type,!0,E.payload),E.type==="pong"?ee():m||(u.send(K(E.payload?{type:D.Pong,payload:E.payload}:{type:D.Pong},X)),x.emit("pong",!1,E.payload));return}if(W)return;if(E.type!==D.ConnectionAck)throw new Error(`First message cannot be of type ${E.type}`);clearTimeout(F),W=!0,x.emit("connected",u,E.payload,z),z=!1,Z=0;let Te=new Promise((Ot,dt)=>se(dt));Te.catch(()=>{}),v([u,Te])}catch(E){u.onmessage=null,x.emit("error",E),u.close(I.BadResponse,ae(E instanceof Error?E.message:String(E),"Bad response"))}}})())));d.readyState===L.CLOSING&&await g;let c=()=>{},p=new Promise(v=>c=v);return[d,c,new Promise((v,b)=>{let u=se(b);d.readyState!==L.OPEN&&g.catch(b),p.then(()=>{if(u(),!R){let F=()=>d.close(1e3,"Normal Closure");isFinite(a)&&a>0?(clearTimeout(ie),ie=setTimeout(()=>{!R&&d.readyState===L.OPEN&&F()},a)):F()}v()})})]}function Ce(d){if(ce(d)&&(mt(d.code)||[I.InternalServerError,I.InternalClientError,I.BadRequest,I.BadResponse,I.Unauthorized,I.SubprotocolNotAcceptable,I.SubscriberAlreadyExists,I.TooManyInitialisationRequests].includes(d.code)))throw d;if(we)return!1;if(ce(d)&&d.code===1e3)return R>0;if(!_||Z>=_||!q(d))throw d;return z=!0}r||(async()=>{for(R++;;)try{let[,,d]=await Ee();await d}catch(d){try{if(!Ce(d))return}catch(g){return s?.(g)}}})();function xe(d,g){let c=ct(d),p=!1,v=!1,b=()=>{R--,p=!0};return(async()=>{for(R++;;)try{let[u,F,Q]=await Ee();if(p)return Q.catch(()=>{}),F();let ee=x.onMessage(c,W=>{switch(W.type){case D.Next:{g.next(W.payload);return}case D.Error:{v=!0,p=!0,g.error(W.payload),b();return}case D.Complete:{p=!0,b();return}}});u.send(K({id:c,type:D.Subscribe,payload:d},X)),b=()=>{!p&&u.readyState===L.OPEN&&u.send(K({id:c,type:D.Complete},X)),R--,p=!0,F()},await Q.finally(ee);return}catch(u){if(!Ce(u))return}})().then(()=>{v||g.complete()}).catch(u=>{g.error(u)}),()=>{p||b()}}return{on:x.on,subscribe:xe,iterate(d){let g=[],c={done:!1,error:null,resolve:()=>{}},p=xe(d,{next(b){g.push(b),c.resolve()},error(b){c.done=!0,c.error=b,c.resolve()},complete(){c.done=!0,c.resolve()}}),v=(async function*(){for(;;){for(g.length||await new Promise(u=>c.resolve=u);g.length;)yield g.shift();if(c.error)throw c.error;if(c.done)return}})();return v.throw=async b=>(c.done||(c.done=!0,c.error=b,c.resolve()),{done:!0,value:void 0}),v.return=async()=>(p(),{done:!0,value:void 0}),v},async dispose(){if(we=!0,O){let[d]=await O;d.close(1e3,"Normal Closure")}},terminate(){O&&x.emit("closed",new J)}}}var J=class extends Error{constructor(){super(...arguments);G(this,"name","TerminatedCloseEvent");G(this,"message","4499: Terminated");G(this,"code",4499);G(this,"reason","Terminated");G(this,"wasClean",!1)}};function ce(e){return $(e)&&"code"in e&&"reason"in e}function mt(e){return[1e3,1001,1006,1005,1012,1013,1014].includes(e)?!1:e>=1e3&&e<=1999}function ft(e){return typeof e=="function"&&"constructor"in e&&"CLOSED"in e&&"CLOSING"in e&&"CONNECTING"in e&&"OPEN"in e}var de="convograph.token",P=class extends Error{constructor(n,r){super(n);this.code=r}};function ue(){return localStorage.getItem(de)??""}function De(e){e?localStorage.setItem(de,e):localStorage.removeItem(de)}function Ae(){let e=ue().trim();return e?{authorization:/^bearer /i.test(e)?e:`Bearer ${e}`}:{}}var _e=new URL("graphql",document.baseURI);async function w(e,t){let n;try{n=await fetch(_e,{method:"POST",headers:{"content-type":"application/json",...Ae()},body:JSON.stringify({query:e.toString(),variables:t})})}catch{throw new P("The server cannot be reached.","NETWORK")}let r;try{r=await n.json()}catch{throw new P(`The server answered ${n.status} without a GraphQL body.`,null)}let s=r.errors?.[0];if(s)throw new P(s.message,s.extensions?.code??null);if(r.data==null)throw new P("The server sent no data.",null);return r.data}function A(e,t){if(e.__typename!==t)throw new P(e.detail??e.__typename,e.code??null);return e}var Y=null;function yt(){if(Y===null){let e=new URL(_e);e.protocol=e.protocol==="https:"?"wss:":"ws:",Y=le({url:e.toString(),connectionParams:()=>Ae(),retryAttempts:0,lazyCloseTimeout:1e3})}return Y}function Pe(){Y?.dispose(),Y=null}function pe(e,t,n,r,s){let a=!1,h=0,m=null,S,_=()=>{if(s(!1),a)return;let q=Math.min(500*2**Math.min(h,5),15e3);S=window.setTimeout(V,q)},V=()=>{a||(r(h),h+=1,m=yt().subscribe({query:e.toString(),variables:t()},{next:q=>{h=1,s(!0),q.data&&n(q.data)},error:_,complete:()=>{s(!1)}}),s(!0))};return V(),{stop(){a=!0,window.clearTimeout(S),m?.()}}}function l(e,t={},...n){let r=document.createElement(e);for(let[s,a]of Object.entries(t))a===void 0||a===!1||(s.startsWith("on")&&typeof a=="function"?r.addEventListener(s.slice(2),a):s==="class"?r.className=String(a):r.setAttribute(s,a===!0?"":String(a)));return r.append(...n.filter(s=>!!s)),r}function i(e){let t=document.getElementById(e);if(!t)throw new Error(`#${e} is missing from the page`);return t}function ke(e){let t=[];for(let n of e.split("")){let r=n.indexOf("");if(r<0){t.push(document.createTextNode(n));continue}t.push(l("mark",{},n.slice(0,r)),document.createTextNode(n.slice(r+1)))}return t}function te(e,t){let n;return()=>{window.clearTimeout(n),n=window.setTimeout(e,t)}}var f=class extends String{constructor(t,n){super(t),this.value=t,this.__meta__=n}toString(){return this.value}},Jt=new f(`
    fragment MessageFields on Message {
  id
  role
  content
  createdAt
  siblingIndex
  siblingCount
  parent {
    id
  }
  editOf {
    id
  }
}
    `,{fragmentName:"MessageFields"}),Yt=new f(`
    fragment BranchFields on Branch {
  id
  name
  createdAt
  updatedAt
  messageCount
  tip {
    id
  }
}
    `,{fragmentName:"BranchFields"}),Xt=new f(`
    fragment Problem on UserError {
  code
  detail
  field
}
    `,{fragmentName:"Problem"}),Zt=new f(`
    fragment ConversationSummary on Conversation {
  id
  title
  createdAt
  updatedAt
  archivedAt
  messageCount
}
    `,{fragmentName:"ConversationSummary"}),Ne=new f(`
    query ConversationList($filter: ConversationFilter, $first: Int!, $after: String) {
  conversations(filter: $filter, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...ConversationSummary
    }
  }
}
    fragment ConversationSummary on Conversation {
  id
  title
  createdAt
  updatedAt
  archivedAt
  messageCount
}`),Fe=new f(`
    query SearchMessages($query: String!, $first: Int!) {
  searchMessages(query: $query, first: $first) {
    nodes {
      snippet(startMark: "\\u0001", endMark: "\\u0002")
      message {
        id
      }
      conversation {
        ...ConversationSummary
      }
      branches(first: 1) {
        nodes {
          id
        }
      }
    }
  }
}
    fragment ConversationSummary on Conversation {
  id
  title
  createdAt
  updatedAt
  archivedAt
  messageCount
}`),Re=new f(`
    query ConversationView($id: UUID!, $last: Int!) {
  conversation(id: $id) {
    ...ConversationSummary
    currentBranch {
      ...BranchFields
    }
    branches(first: 100) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...BranchFields
      }
    }
    messages(last: $last) {
      pageInfo {
        hasPreviousPage
        startCursor
      }
      nodes {
        ...MessageFields
      }
    }
  }
}
    fragment MessageFields on Message {
  id
  role
  content
  createdAt
  siblingIndex
  siblingCount
  parent {
    id
  }
  editOf {
    id
  }
}
fragment BranchFields on Branch {
  id
  name
  createdAt
  updatedAt
  messageCount
  tip {
    id
  }
}
fragment ConversationSummary on Conversation {
  id
  title
  createdAt
  updatedAt
  archivedAt
  messageCount
}`),$e=new f(`
    query MoreBranches($id: UUID!, $after: String!) {
  conversation(id: $id) {
    branches(first: 100, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...BranchFields
      }
    }
  }
}
    fragment BranchFields on Branch {
  id
  name
  createdAt
  updatedAt
  messageCount
  tip {
    id
  }
}`),Be=new f(`
    query EarlierMessages($id: UUID!, $branchId: UUID!, $last: Int!, $before: String!) {
  conversation(id: $id) {
    messages(branchId: $branchId, last: $last, before: $before) {
      pageInfo {
        hasPreviousPage
        startCursor
      }
      nodes {
        ...MessageFields
      }
    }
  }
}
    fragment MessageFields on Message {
  id
  role
  content
  createdAt
  siblingIndex
  siblingCount
  parent {
    id
  }
  editOf {
    id
  }
}`),Le=new f(`
    query TreePage($id: UUID!, $first: Int!, $after: String) {
  conversation(id: $id) {
    messagesInTree(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        role
        content
        createdAt
        siblingIndex
        parent {
          id
        }
      }
    }
  }
}
    `),Oe=new f(`
    mutation CreateConversation($input: CreateConversationInput!) {
  createConversation(input: $input) {
    __typename
    ... on CreateConversationSuccess {
      conversation {
        id
      }
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`),Ue=new f(`
    mutation AddMessage($input: AddMessageInput!) {
  addMessage(input: $input) {
    __typename
    ... on AddMessageSuccess {
      message {
        id
      }
      branch {
        id
      }
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`),Ve=new f(`
    mutation EditMessage($input: UpdateMessageInput!) {
  updateMessage(input: $input) {
    __typename
    ... on UpdateMessageSuccess {
      message {
        id
      }
      branch {
        id
      }
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`),qe=new f(`
    mutation DeleteMessage($input: DeleteMessageInput!) {
  deleteMessage(input: $input) {
    __typename
    ... on DeleteMessageSuccess {
      deletedMessageCount
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`),He=new f(`
    mutation DeleteBranch($input: DeleteBranchInput!) {
  deleteBranch(input: $input) {
    __typename
    ... on DeleteBranchSuccess {
      deletedMessageCount
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`),Qe=new f(`
    mutation RenameBranch($input: RenameBranchInput!) {
  renameBranch(input: $input) {
    __typename
    ... on RenameBranchSuccess {
      branch {
        id
        name
      }
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`),ge=new f(`
    mutation SetCurrentBranch($input: SetCurrentBranchInput!) {
  setCurrentBranch(input: $input) {
    __typename
    ... on SetCurrentBranchSuccess {
      branch {
        id
      }
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`),ne=new f(`
    mutation UpdateConversation($input: UpdateConversationInput!) {
  updateConversation(input: $input) {
    __typename
    ... on UpdateConversationSuccess {
      conversation {
        id
        title
        archivedAt
      }
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`),We=new f(`
    mutation DeleteConversation($input: DeleteConversationInput!) {
  deleteConversation(input: $input) {
    __typename
    ... on DeleteConversationSuccess {
      deletedId
    }
    ... on UserError {
      ...Problem
    }
  }
}
    fragment Problem on UserError {
  code
  detail
  field
}`),Ge=new f(`
    subscription ConversationEvents($conversationId: UUID!, $afterSequence: Int) {
  conversationEvents(
    conversationId: $conversationId
    afterSequence: $afterSequence
  ) {
    sequence
    kind
    messageId
    branchId
  }
}
    `),Ke=new f(`
    subscription ConversationsChanged {
  conversationsChanged {
    kind
    conversationId
  }
}
    `);var U=class e{constructor(t){this.nodes=new Map;this.roots=[];for(let r of t)this.nodes.set(r.id,{id:r.id,role:r.role,content:r.content,parentId:r.parent?.id??null,siblingIndex:r.siblingIndex,children:[]});for(let r of this.nodes.values()){let s=r.parentId?this.nodes.get(r.parentId):void 0;(s?s.children:this.roots).push(r)}let n=(r,s)=>r.siblingIndex-s.siblingIndex;this.roots.sort(n);for(let r of this.nodes.values())r.children.sort(n)}static async read(t){let n=[],r=null;for(;;){let a=(await w(Le,{id:t,first:100,after:r})).conversation?.messagesInTree;if(!a||(n.push(...a.nodes),!a.pageInfo.hasNextPage))break;r=a.pageInfo.endCursor}return new e(n)}siblingsOf(t){let n=this.nodes.get(t);if(!n)return[];let r=n.parentId?this.nodes.get(n.parentId):void 0;return r?r.children:this.roots}pathTo(t){let n=new Set,r=t?this.nodes.get(t):void 0;for(;r&&!n.has(r.id);)n.add(r.id),r=r.parentId?this.nodes.get(r.parentId):void 0;return n}branchThrough(t,n){let r=null;for(let s of n)!s.tip||!this.pathTo(s.tip.id).has(t)||(!r||s.updatedAt>r.updatedAt)&&(r=s);return r}};var tt=30,je=30,o={conversationId:null,view:null,tree:null,showTree:!1,replyTo:null,editing:null,listCursor:null,lastSequence:null,loadingEarlier:!1},j=null,ze=null;function B(e){i("status").textContent=e}function ht(e){if(e instanceof P&&e.code==="UNAUTHENTICATED"){i("token-panel").open=!0,B(`This server needs a token: ${e.message}`);return}B(e instanceof Error?e.message:String(e))}async function y(e){try{await e()}catch(t){ht(t)}}function vt(){let e=i("archive-filter").value;return e==="all"?null:e==="archived"}function fe(e){return e.title||"Untitled conversation"}function bt(e){return new Date(e).toLocaleString(void 0,{dateStyle:"medium",timeStyle:"short"})}function Je(e,t){let n=e.id===o.conversationId;return l("li",{},l("a",{href:`#/c/${e.id}`,class:n?"conversation current":"conversation","aria-current":n?"page":void 0},l("span",{class:"title"},fe(e)),...t??[],l("span",{class:"when"},`${e.messageCount} messages \xB7 ${bt(e.createdAt)}`,e.archivedAt?" \xB7 archived":"")))}async function me(e=!1){let t=i("search").value.trim(),n=i("conversation-list"),r=i("list-more");if(t){let h=await w(Fe,{query:t,first:je}),m=h.searchMessages.nodes.map(S=>Je(S.conversation,[l("span",{class:"snippet"},...ke(S.snippet))]));for(let[S,_]of h.searchMessages.nodes.entries())m[S].querySelector("a")?.addEventListener("click",V=>{V.preventDefault(),y(()=>wt(_.conversation.id,_.branches.nodes[0]?.id??null))});n.replaceChildren(...m),m.length||n.append(l("li",{class:"empty"},"No message matches.")),r.hidden=!0;return}let s=await w(Ne,{filter:{archived:vt()},first:je,after:e?o.listCursor:null}),a=s.conversations.nodes.map(h=>Je(h));e?n.append(...a):n.replaceChildren(...a),n.children.length||n.append(l("li",{class:"empty"},"No conversations yet.")),o.listCursor=s.conversations.pageInfo.endCursor,r.hidden=!s.conversations.pageInfo.hasNextPage}var k=te(()=>{y(()=>me())},150);async function wt(e,t){if(t){let n=await w(ge,{input:{conversationId:e,branchId:t}});A(n.setCurrentBranch,"SetCurrentBranchSuccess")}location.hash===`#/c/${e}`?await ye(e):location.hash=`#/c/${e}`}async function Et(e,t){let r=(await w(Re,{id:e,last:Math.min(Math.max(t,tt),100)})).conversation;if(!r)return null;let s=[...r.branches.nodes],a=r.branches.pageInfo;for(;a.hasNextPage&&a.endCursor;){let h=await w($e,{id:e,after:a.endCursor});if(!h.conversation)break;s.push(...h.conversation.branches.nodes),a=h.conversation.branches.pageInfo}return{conversation:r,branch:r.currentBranch,branches:s,messages:r.messages.nodes,earlierCursor:r.messages.pageInfo.hasPreviousPage?r.messages.pageInfo.startCursor:null}}async function ye(e){if(e!==o.conversationId&&(j?.stop(),j=null,Object.assign(o,{conversationId:e,view:null,tree:null,replyTo:null,editing:null,lastSequence:null})),document.body.classList.toggle("reading",e!==null),e===null){ve();return}await N({scrollToEnd:!0}),o.view&&!j&&Ct(e),k()}async function N(e={}){let t=o.conversationId;if(!t)return;let n=i("messages"),r=n.scrollHeight-n.scrollTop-n.clientHeight<80,s=o.view?.messages.length??0,a=await Et(t,s);t===o.conversationId&&(a&&o.view&&a.branch.id!==o.view.branch.id&&(o.replyTo=null),o.view=a,a||B("This conversation does not exist, or you may not see it."),o.showTree&&a&&(o.tree=await U.read(t)),ve(),(e.scrollToEnd||r)&&(n.scrollTop=n.scrollHeight))}var nt=te(()=>{y(()=>N())},100);async function Ye(){let e=o.view;if(!(!e||!e.earlierCursor||o.loadingEarlier)){o.loadingEarlier=!0;try{let n=(await w(Be,{id:e.conversation.id,branchId:e.branch.id,last:tt,before:e.earlierCursor})).conversation?.messages;if(!n||o.view!==e)return;let r=i("messages"),s=r.scrollHeight-r.scrollTop;e.messages=[...n.nodes,...e.messages],e.earlierCursor=n.pageInfo.hasPreviousPage?n.pageInfo.startCursor:null,re(),r.scrollTop=r.scrollHeight-s}finally{o.loadingEarlier=!1}}}function Ct(e){j=pe(Ge,()=>({conversationId:e,afterSequence:o.lastSequence}),t=>xt(t.conversationEvents.sequence,t.conversationEvents.kind),t=>{t>0&&o.lastSequence===null&&nt()},rt)}function xt(e,t){if(o.lastSequence=Math.max(o.lastSequence??0,e),t==="CONVERSATION_DELETED"){B("This conversation was deleted."),location.hash="";return}o.tree=null,nt(),k()}function rt(e){let t=i("live");t.textContent=e?"Live":"Reconnecting\u2026",t.className=e?"live on":"live off"}function he(e,t){return e.name||`Branch ${t.indexOf(e)+1}`}function ve(){let e=o.view;if(i("conversation").hidden=!e,i("empty-state").hidden=!!e,!e)return;i("conversation-title").textContent=fe(e.conversation),i("archive").textContent=e.conversation.archivedAt?"Unarchive":"Archive",i("branch-select").replaceChildren(...e.branches.map(n=>l("option",{value:n.id,selected:n.id===e.branch.id},`${he(n,e.branches)} (${n.messageCount})`))),i("delete-branch").disabled=e.branches.length<2,i("tree-toggle").setAttribute("aria-expanded",String(o.showTree)),re(),be(),st()}function re(){let e=o.view;if(!e)return;let t=i("message-list");t.replaceChildren(...e.messages.map(Tt)),i("earlier").hidden=!e.earlierCursor,e.messages.length||t.append(l("li",{class:"empty"},"No messages yet: write the first below."))}var ot={USER:"User",ASSISTANT:"Assistant",SYSTEM:"System",DEVELOPER:"Developer",TOOL:"Tool",FUNCTION:"Function"};function Tt(e){let t=o.editing===e.id,n=e.siblingCount>1?l("span",{class:"switcher",role:"group","aria-label":"Versions of this message"},l("button",{type:"button","aria-label":"Previous version",disabled:e.siblingIndex===0,onclick:()=>{y(()=>Xe(e,-1))}},"\u2039"),l("span",{class:"position"},`${e.siblingIndex+1} / ${e.siblingCount}`),l("button",{type:"button","aria-label":"Next version",disabled:e.siblingIndex+1>=e.siblingCount,onclick:()=>{y(()=>Xe(e,1))}},"\u203A")):null,r=t?St(e):l("div",{class:"content","data-content-of":e.id},e.content),s=t?null:l("div",{class:"actions"},l("button",{type:"button",onclick:()=>Mt(e)},"Edit"),l("button",{type:"button",onclick:()=>At(e)},"Reply"),l("button",{type:"button",class:"danger",onclick:()=>{y(()=>_t(e))}},"Delete"));return l("li",{class:`message role-${e.role.toLowerCase()}`,"data-message-id":e.id},l("div",{class:"meta"},l("span",{class:"role"},ot[e.role]??e.role),e.editOf?l("span",{class:"edited"},"edited"):null,n),r,s)}function St(e){let t=l("textarea",{"aria-label":"Edited message",rows:3});return t.value=e.content,queueMicrotask(()=>t.focus()),l("form",{class:"edit",onsubmit:n=>{n.preventDefault(),y(()=>Dt(e,t.value))}},t,l("div",{class:"actions"},l("button",{type:"submit"},"Save as new version"),l("button",{type:"button",onclick:It},"Cancel")))}function be(){let e=i("reply-note"),t=o.replyTo;e.hidden=!t,i("reply-text").textContent=t?t.content.slice(0,80):""}function st(){let e=i("tree");e.hidden=!o.showTree;let t=o.view;if(!o.showTree||!t)return;let n=o.tree,r=i("tree-body");if(!n){r.replaceChildren(l("p",{},"Reading the tree\u2026")),y(async()=>{o.tree=await U.read(t.conversation.id),st()});return}let s=n.pathTo(t.branch.tip?.id),a=new Map;for(let m of t.branches)m.tip&&a.set(m.tip.id,[...a.get(m.tip.id)??[],he(m,t.branches)]);let h=m=>{let S=s.has(m.id),_=a.get(m.id);return l("li",{},l("button",{type:"button",class:S?"node on-branch":"node","data-tree-node":m.id,"aria-current":S?"true":void 0,onclick:()=>{y(()=>it(m.id))}},l("span",{class:"role"},ot[m.role]??m.role)," ",m.content.slice(0,70)||"(empty)",_?l("span",{class:"tip"},_.join(", ")):null),m.children.length?l("ul",{},...m.children.map(h)):null)};r.replaceChildren(l("p",{class:"legend"},`${n.nodes.size} messages; the current branch is highlighted.`),l("ul",{class:"tree-root"},...n.roots.map(h)))}async function Xe(e,t){let n=o.view;if(!n)return;let s=(o.tree??(o.tree=await U.read(n.conversation.id))).siblingsOf(e.id)[e.siblingIndex+t];s&&await it(s.id)}async function it(e){let t=o.view;if(!t)return;let r=(o.tree??(o.tree=await U.read(t.conversation.id))).branchThrough(e,t.branches);if(!r)throw new P("No branch holds that message any more.",null);await at(r.id)}async function at(e){let t=o.view;if(!t)return;let n=await w(ge,{input:{conversationId:t.conversation.id,branchId:e}});A(n.setCurrentBranch,"SetCurrentBranchSuccess"),await N({scrollToEnd:!0})}function Mt(e){o.editing=e.id,re()}function It(){o.editing=null,re()}async function Dt(e,t){let n=await w(Ve,{input:{messageId:e.id,message:{role:e.role,content:t}}});A(n.updateMessage,"UpdateMessageSuccess"),o.editing=null,o.tree=null,await N({scrollToEnd:!0}),B("Saved as a new version; the original stays reachable with \u2039 \u203A.")}function At(e){o.replyTo=e,be(),i("composer-text").focus()}async function _t(e){if(!confirm("Delete this message and every reply under it?"))return;let t=await w(qe,{input:{messageId:e.id}}),n=A(t.deleteMessage,"DeleteMessageSuccess");o.tree=null,await N(),B(`Deleted ${n.deletedMessageCount} message(s).`)}async function Pt(e){e.preventDefault();let t=o.view,n=i("composer-text");if(!t||!n.value.trim())return;let r=i("composer-role").value,s=n.value,a=o.replyTo?{parentId:o.replyTo.id}:{branchId:t.branch.id},h=await w(Ue,{input:{conversationId:t.conversation.id,message:{role:r,content:s},...a}});A(h.addMessage,"AddMessageSuccess"),n.value="",o.replyTo=null,t.conversation.title||await w(ne,{input:{id:t.conversation.id,title:s.trim().slice(0,60)}}),o.tree=null,await N({scrollToEnd:!0})}async function kt(){let e=await w(Oe,{input:{}}),t=A(e.createConversation,"CreateConversationSuccess");location.hash=`#/c/${t.conversation.id}`,i("composer-text").focus()}async function Nt(){let e=o.view;if(!e)return;let t=prompt("Title of the conversation",e.conversation.title??"");if(t===null)return;let n=await w(ne,{input:{id:e.conversation.id,title:t.trim()||null}});A(n.updateConversation,"UpdateConversationSuccess"),await N(),k()}async function Ft(){let e=o.view;if(!e)return;let t=await w(ne,{input:{id:e.conversation.id,archived:!e.conversation.archivedAt}});A(t.updateConversation,"UpdateConversationSuccess"),await N(),k()}async function Rt(){let e=o.view;if(!e||!confirm(`Delete \u201C${fe(e.conversation)}\u201D with every message?`))return;let t=await w(We,{input:{id:e.conversation.id}});A(t.deleteConversation,"DeleteConversationSuccess"),location.hash="",k()}async function $t(){let e=o.view;if(!e)return;let t=prompt("Name of this branch (empty: no name)",e.branch.name??"");if(t===null)return;let n=await w(Qe,{input:{branchId:e.branch.id,name:t.trim()||null}});A(n.renameBranch,"RenameBranchSuccess"),await N()}async function Bt(){let e=o.view;if(!e)return;let t=he(e.branch,e.branches);if(!confirm(`Delete ${t} and the messages no other branch holds?`))return;let n=await w(He,{input:{branchId:e.branch.id}}),r=A(n.deleteBranch,"DeleteBranchSuccess");o.tree=null,await N({scrollToEnd:!0}),B(`Deleted ${t} (${r.deletedMessageCount} message(s)).`)}function Ze(){let e=/^#\/c\/([0-9a-f-]{36})$/i.exec(location.hash);y(()=>ye(e?e[1]:null))}function et(){ze?.stop(),ze=pe(Ke,()=>({}),()=>k(),e=>{e>0&&k()},rt)}function Lt(){i("new-conversation").addEventListener("click",()=>{y(kt)}),i("search").addEventListener("input",te(k,250)),i("archive-filter").addEventListener("change",k),i("list-more").addEventListener("click",()=>{y(()=>me(!0))}),i("composer").addEventListener("submit",t=>{y(()=>Pt(t))}),i("composer-text").addEventListener("keydown",t=>{let n=t;n.key==="Enter"&&(n.ctrlKey||n.metaKey)&&i("composer").requestSubmit()}),i("cancel-reply").addEventListener("click",()=>{o.replyTo=null,be()}),i("rename-conversation").addEventListener("click",()=>{y(Nt)}),i("archive").addEventListener("click",()=>{y(Ft)}),i("delete-conversation").addEventListener("click",()=>{y(Rt)}),i("rename-branch").addEventListener("click",()=>{y($t)}),i("delete-branch").addEventListener("click",()=>{y(Bt)}),i("branch-select").addEventListener("change",t=>{y(()=>at(t.target.value))}),i("tree-toggle").addEventListener("click",()=>{o.showTree=!o.showTree,ve()}),i("back").addEventListener("click",()=>{location.hash=""}),i("earlier").addEventListener("click",()=>{y(Ye)}),new IntersectionObserver(t=>{t.some(n=>n.isIntersecting)&&y(Ye)}).observe(i("earlier"));let e=i("token");e.value=ue(),i("token-form").addEventListener("submit",t=>{t.preventDefault(),De(e.value.trim()),Pe(),i("token-panel").open=!1,B(e.value?"Token saved.":"Token removed."),j?.stop(),j=null,et();let n=o.conversationId;o.conversationId=null,y(()=>ye(n)),k()}),window.addEventListener("hashchange",Ze),et(),Ze(),y(async()=>{await me(),performance.mark("convograph:interactive")})}Lt();
