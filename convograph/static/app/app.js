var pt=Object.defineProperty;var gt=(e,t,n)=>t in e?pt(e,t,{enumerable:!0,configurable:!0,writable:!0,value:n}):e[t]=n;var G=(e,t,n)=>gt(e,typeof t!="symbol"?t+"":t,n);function M(e){return e===null?"null":Array.isArray(e)?"array":typeof e}function R(e){return M(e)==="object"}function mt(e){return Array.isArray(e)&&e.length>0&&e.every(t=>"message"in t)}function ce(e,t){return e.length<124?e:t}var Me="graphql-transport-ws";var I=(e=>(e[e.InternalServerError=4500]="InternalServerError",e[e.InternalClientError=4005]="InternalClientError",e[e.BadRequest=4400]="BadRequest",e[e.BadResponse=4004]="BadResponse",e[e.Unauthorized=4401]="Unauthorized",e[e.Forbidden=4403]="Forbidden",e[e.SubprotocolNotAcceptable=4406]="SubprotocolNotAcceptable",e[e.ConnectionInitialisationTimeout=4408]="ConnectionInitialisationTimeout",e[e.ConnectionAcknowledgementTimeout=4504]="ConnectionAcknowledgementTimeout",e[e.SubscriberAlreadyExists=4409]="SubscriberAlreadyExists",e[e.TooManyInitialisationRequests=4429]="TooManyInitialisationRequests",e))(I||{}),D=(e=>(e.ConnectionInit="connection_init",e.ConnectionAck="connection_ack",e.Ping="ping",e.Pong="pong",e.Subscribe="subscribe",e.Next="next",e.Error="error",e.Complete="complete",e))(D||{});function Ie(e){if(!R(e))throw new Error(`Message is expected to be an object, but got ${M(e)}`);if(!e.type)throw new Error("Message is missing the 'type' property");if(typeof e.type!="string")throw new Error(`Message is expects the 'type' property to be a string, but got ${M(e.type)}`);switch(e.type){case"connection_init":case"connection_ack":case"ping":case"pong":{if(e.payload!=null&&!R(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object or nullish or missing, but got "${e.payload}"`);break}case"subscribe":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${M(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!R(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${M(e.payload)}`);if(typeof e.payload.query!="string")throw new Error(`"${e.type}" message payload expects the 'query' property to be a string, but got ${M(e.payload.query)}`);if(e.payload.variables!=null&&!R(e.payload.variables))throw new Error(`"${e.type}" message payload expects the 'variables' property to be a an object or nullish or missing, but got ${M(e.payload.variables)}`);if(e.payload.operationName!=null&&M(e.payload.operationName)!=="string")throw new Error(`"${e.type}" message payload expects the 'operationName' property to be a string or nullish or missing, but got ${M(e.payload.operationName)}`);if(e.payload.extensions!=null&&!R(e.payload.extensions))throw new Error(`"${e.type}" message payload expects the 'extensions' property to be a an object or nullish or missing, but got ${M(e.payload.extensions)}`);break}case"next":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${M(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!R(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${M(e.payload)}`);break}case"error":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${M(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!mt(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an array of GraphQL errors, but got ${JSON.stringify(e.payload)}`);break}case"complete":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${M(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);break}default:throw new Error(`Invalid message 'type' property "${e.type}"`)}return e}function De(e,t){return Ie(typeof e=="string"?JSON.parse(e,t):e)}function K(e,t){return Ie(e),JSON.stringify(e,t)}function de(e){let{url:t,connectionParams:n,lazy:r=!0,onNonLazyError:i=console.error,lazyCloseTimeout:a=0,keepAlive:h=0,disablePong:m,connectionAckWaitTimeout:S=0,retryAttempts:_=5,retryWait:V=async function(g){let c=Math.pow(2,g);await new Promise(p=>setTimeout(p,c*1e3+Math.floor(Math.random()*2700+300)))},shouldRetry:q=le,on:C,webSocketImpl:se,generateID:lt=function(){return"xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g,g=>{let c=Math.random()*16|0;return(g=="x"?c:c&3|8).toString(16)})},jsonMessageReplacer:Z,jsonMessageReviver:dt}=e,H;if(se){if(!yt(se))throw new Error("Invalid WebSocket implementation provided");H=se}else typeof WebSocket<"u"?H=WebSocket:typeof global<"u"?H=global.WebSocket||global.MozWebSocket:typeof window<"u"&&(H=window.WebSocket||window.MozWebSocket);if(!H)throw new Error("WebSocket implementation missing; on Node you can `import WebSocket from 'ws';` and pass `webSocketImpl: WebSocket` to `createClient`");let L=H,x=(()=>{let d=(()=>{let c={};return{on(p,v){return c[p]=v,()=>{delete c[p]}},emit(p){"id"in p&&c[p.id]?.(p)}}})(),g={connecting:C?.connecting?[C.connecting]:[],opened:C?.opened?[C.opened]:[],connected:C?.connected?[C.connected]:[],ping:C?.ping?[C.ping]:[],pong:C?.pong?[C.pong]:[],message:C?.message?[d.emit,C.message]:[d.emit],closed:C?.closed?[C.closed]:[],error:C?.error?[C.error]:[]};return{onMessage:d.on,on(c,p){let v=g[c];return v.push(p),()=>{let b=v.indexOf(p);b>-1&&v.splice(b,1)}},emit(c,...p){for(let v of[...g[c]])v(...p)}}})();function ie(d){let g=[x.on("error",c=>{g.forEach(p=>p()),d(c)}),x.on("closed",c=>{g.forEach(p=>p()),d(c)})];return()=>g.forEach(c=>c())}let O,$=0,ae,z=!1,ee=0,we=!1;async function Ce(){clearTimeout(ae);let[d,g]=await(O??(O=new Promise((v,b)=>(async()=>{if(z){if(await V(ee),!$)return O=void 0,b({code:1e3,reason:"All Subscriptions Gone"});ee++}x.emit("connecting",z);let u=new L(typeof t=="function"?await t():t,Me),F,Q;function te(){isFinite(h)&&h>0&&(clearTimeout(Q),Q=setTimeout(()=>{u.readyState===L.OPEN&&(u.send(K({type:D.Ping})),x.emit("ping",!1,void 0))},h))}ie(T=>{O=void 0,clearTimeout(F),clearTimeout(Q),b(T),T instanceof J&&(u.close(4499,"Terminated"),u.onerror=null,u.onclose=null)}),u.onerror=T=>x.emit("error",T),u.onclose=T=>x.emit("closed",T),u.onopen=async()=>{try{x.emit("opened",u);let T=typeof n=="function"?await n():n;if(u.readyState!==L.OPEN)return;u.send(K(T?{type:D.ConnectionInit,payload:T}:{type:D.ConnectionInit},Z)),isFinite(S)&&S>0&&(F=setTimeout(()=>{u.close(I.ConnectionAcknowledgementTimeout,"Connection acknowledgement timeout")},S)),te()}catch(T){x.emit("error",T),u.close(I.InternalClientError,ce(T instanceof Error?T.message:String(T),"Internal client error"))}};let W=!1;u.onmessage=({data:T})=>{try{let w=De(T,dt);if(x.emit("message",w),w.type==="ping"||w.type==="pong"){x.emit(w.type,!0,w.payload),w.type==="pong"?te():m||(u.send(K(w.payload?{type:D.Pong,payload:w.payload}:{type:D.Pong},Z)),x.emit("pong",!1,w.payload));return}if(W)return;if(w.type!==D.ConnectionAck)throw new Error(`First message cannot be of type ${w.type}`);clearTimeout(F),W=!0,x.emit("connected",u,w.payload,z),z=!1,ee=0;let Se=new Promise((Ut,ut)=>ie(ut));Se.catch(()=>{}),v([u,Se])}catch(w){u.onmessage=null,x.emit("error",w),u.close(I.BadResponse,ce(w instanceof Error?w.message:String(w),"Bad response"))}}})())));d.readyState===L.CLOSING&&await g;let c=()=>{},p=new Promise(v=>c=v);return[d,c,new Promise((v,b)=>{let u=ie(b);d.readyState!==L.OPEN&&g.catch(b),p.then(()=>{if(u(),!$){let F=()=>d.close(1e3,"Normal Closure");isFinite(a)&&a>0?(clearTimeout(ae),ae=setTimeout(()=>{!$&&d.readyState===L.OPEN&&F()},a)):F()}v()})})]}function xe(d){if(le(d)&&(ft(d.code)||[I.InternalServerError,I.InternalClientError,I.BadRequest,I.BadResponse,I.Unauthorized,I.SubprotocolNotAcceptable,I.SubscriberAlreadyExists,I.TooManyInitialisationRequests].includes(d.code)))throw d;if(we)return!1;if(le(d)&&d.code===1e3)return $>0;if(!_||ee>=_||!q(d))throw d;return z=!0}r||(async()=>{for($++;;)try{let[,,d]=await Ce();await d}catch(d){try{if(!xe(d))return}catch(g){return i?.(g)}}})();function Te(d,g){let c=lt(d),p=!1,v=!1,b=()=>{$--,p=!0};return(async()=>{for($++;;)try{let[u,F,Q]=await Ce();if(p)return Q.catch(()=>{}),F();let te=x.onMessage(c,W=>{switch(W.type){case D.Next:{g.next(W.payload);return}case D.Error:{v=!0,p=!0,g.error(W.payload),b();return}case D.Complete:{p=!0,b();return}}});u.send(K({id:c,type:D.Subscribe,payload:d},Z)),b=()=>{!p&&u.readyState===L.OPEN&&u.send(K({id:c,type:D.Complete},Z)),$--,p=!0,F()},await Q.finally(te);return}catch(u){if(!xe(u))return}})().then(()=>{v||g.complete()}).catch(u=>{g.error(u)}),()=>{p||b()}}return{on:x.on,subscribe:Te,iterate(d){let g=[],c={done:!1,error:null,resolve:()=>{}},p=Te(d,{next(b){g.push(b),c.resolve()},error(b){c.done=!0,c.error=b,c.resolve()},complete(){c.done=!0,c.resolve()}}),v=(async function*(){for(;;){for(g.length||await new Promise(u=>c.resolve=u);g.length;)yield g.shift();if(c.error)throw c.error;if(c.done)return}})();return v.throw=async b=>(c.done||(c.done=!0,c.error=b,c.resolve()),{done:!0,value:void 0}),v.return=async()=>(p(),{done:!0,value:void 0}),v},async dispose(){if(we=!0,O){let[d]=await O;d.close(1e3,"Normal Closure")}},terminate(){O&&x.emit("closed",new J)}}}var J=class extends Error{constructor(){super(...arguments);G(this,"name","TerminatedCloseEvent");G(this,"message","4499: Terminated");G(this,"code",4499);G(this,"reason","Terminated");G(this,"wasClean",!1)}};function le(e){return R(e)&&"code"in e&&"reason"in e}function ft(e){return[1e3,1001,1006,1005,1012,1013,1014].includes(e)?!1:e>=1e3&&e<=1999}function yt(e){return typeof e=="function"&&"constructor"in e&&"CLOSED"in e&&"CLOSING"in e&&"CONNECTING"in e&&"OPEN"in e}var ue="convograph.token",P=class extends Error{constructor(n,r){super(n);this.code=r}};function pe(){return localStorage.getItem(ue)??""}function Ae(e){e?localStorage.setItem(ue,e):localStorage.removeItem(ue)}function _e(){let e=pe().trim();return e?{authorization:/^bearer /i.test(e)?e:`Bearer ${e}`}:{}}var Pe=new URL("graphql",document.baseURI);async function E(e,t){let n;try{n=await fetch(Pe,{method:"POST",headers:{"content-type":"application/json",..._e()},body:JSON.stringify({query:e.toString(),variables:t})})}catch{throw new P("The server cannot be reached.","NETWORK")}let r;try{r=await n.json()}catch{throw new P(`The server answered ${n.status} without a GraphQL body.`,null)}let i=r.errors?.[0];if(i)throw new P(i.message,i.extensions?.code??null);if(r.data==null)throw new P("The server sent no data.",null);return r.data}function A(e,t){if(e.__typename!==t)throw new P(e.detail??e.__typename,e.code??null);return e}var Y=null;function ht(){if(Y===null){let e=new URL(Pe);e.protocol=e.protocol==="https:"?"wss:":"ws:",Y=de({url:e.toString(),connectionParams:()=>_e(),retryAttempts:0,lazyCloseTimeout:1e3})}return Y}function ke(){Y?.dispose(),Y=null}function ge(e,t,n,r,i){let a=!1,h=0,m=null,S,_=()=>{if(i(!1),a)return;let q=Math.min(500*2**Math.min(h,5),15e3);S=window.setTimeout(V,q)},V=()=>{a||(r(h),h+=1,m=ht().subscribe({query:e.toString(),variables:t()},{next:q=>{h=1,i(!0),q.data&&n(q.data)},error:_,complete:()=>{i(!1)}}),i(!0))};return V(),{stop(){a=!0,window.clearTimeout(S),m?.()}}}function l(e,t={},...n){let r=document.createElement(e);for(let[i,a]of Object.entries(t))a===void 0||a===!1||(i.startsWith("on")&&typeof a=="function"?r.addEventListener(i.slice(2),a):i==="class"?r.className=String(a):r.setAttribute(i,a===!0?"":String(a)));return r.append(...n.filter(i=>!!i)),r}function s(e){let t=document.getElementById(e);if(!t)throw new Error(`#${e} is missing from the page`);return t}function Ne(e){let t=[];for(let n of e.split("")){let r=n.indexOf("");if(r<0){t.push(document.createTextNode(n));continue}t.push(l("mark",{},n.slice(0,r)),document.createTextNode(n.slice(r+1)))}return t}function ne(e,t){let n;return()=>{window.clearTimeout(n),n=window.setTimeout(e,t)}}var f=class extends String{constructor(t,n){super(t),this.value=t,this.__meta__=n}toString(){return this.value}},Yt=new f(`
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
    `,{fragmentName:"MessageFields"}),Xt=new f(`
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
    `,{fragmentName:"BranchFields"}),Zt=new f(`
    fragment Problem on UserError {
  code
  detail
  field
}
    `,{fragmentName:"Problem"}),en=new f(`
    fragment ConversationSummary on Conversation {
  id
  title
  createdAt
  updatedAt
  archivedAt
  messageCount
}
    `,{fragmentName:"ConversationSummary"}),Fe=new f(`
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
}`),$e=new f(`
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
}`),Be=new f(`
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
}`),Le=new f(`
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
}`),Oe=new f(`
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
    `),Ue=new f(`
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
}`),Ve=new f(`
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
}`),qe=new f(`
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
}`),He=new f(`
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
}`),Qe=new f(`
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
}`),We=new f(`
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
}`),me=new f(`
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
}`),re=new f(`
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
}`),Ge=new f(`
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
}`),Ke=new f(`
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
    `),je=new f(`
    subscription ConversationsChanged {
  conversationsChanged {
    kind
    conversationId
  }
}
    `);var U=class e{constructor(t){this.nodes=new Map;this.roots=[];for(let r of t)this.nodes.set(r.id,{id:r.id,role:r.role,content:r.content,parentId:r.parent?.id??null,siblingIndex:r.siblingIndex,children:[]});for(let r of this.nodes.values()){let i=r.parentId?this.nodes.get(r.parentId):void 0;(i?i.children:this.roots).push(r)}let n=(r,i)=>r.siblingIndex-i.siblingIndex;this.roots.sort(n);for(let r of this.nodes.values())r.children.sort(n)}static async read(t){let n=[],r=null;for(;;){let a=(await E(Oe,{id:t,first:100,after:r})).conversation?.messagesInTree;if(!a||(n.push(...a.nodes),!a.pageInfo.hasNextPage))break;r=a.pageInfo.endCursor}return new e(n)}siblingsOf(t){let n=this.nodes.get(t);if(!n)return[];let r=n.parentId?this.nodes.get(n.parentId):void 0;return r?r.children:this.roots}pathTo(t){let n=new Set,r=t?this.nodes.get(t):void 0;for(;r&&!n.has(r.id);)n.add(r.id),r=r.parentId?this.nodes.get(r.parentId):void 0;return n}branchThrough(t,n){let r=null;for(let i of n)!i.tip||!this.pathTo(i.tip.id).has(t)||(!r||i.updatedAt>r.updatedAt)&&(r=i);return r}};var nt=30,ze=30,o={conversationId:null,view:null,tree:null,showTree:!1,replyTo:null,editing:null,listCursor:null,lastSequence:null,loadingEarlier:!1},j=null,Je=null;function B(e){s("status").textContent=e}function vt(e){if(e instanceof P&&e.code==="UNAUTHENTICATED"){s("token-panel").open=!0,B(`This server needs a token: ${e.message}`);return}B(e instanceof Error?e.message:String(e))}async function y(e){try{await e()}catch(t){vt(t)}}function bt(){let e=s("archive-filter").value;return e==="all"?null:e==="archived"}function ye(e){return e.title||"Untitled conversation"}function X(e,t){return`${e} ${t}${e===1?"":"s"}`}function Et(e){return new Date(e).toLocaleString(void 0,{dateStyle:"medium",timeStyle:"short"})}function Ye(e,t){let n=e.id===o.conversationId;return l("li",{},l("a",{href:`#/c/${e.id}`,class:n?"conversation current":"conversation","aria-current":n?"page":void 0},l("span",{class:"title"},ye(e)),...t??[],l("span",{class:"when"},`${X(e.messageCount,"message")} \xB7 ${Et(e.createdAt)}`,e.archivedAt?" \xB7 archived":"")))}async function fe(e=!1){let t=s("search").value.trim(),n=s("conversation-list"),r=s("list-more");if(t){let h=await E($e,{query:t,first:ze}),m=h.searchMessages.nodes.map(S=>Ye(S.conversation,[l("span",{class:"snippet"},...Ne(S.snippet))]));for(let[S,_]of h.searchMessages.nodes.entries())m[S].querySelector("a")?.addEventListener("click",V=>{V.preventDefault(),y(()=>wt(_.conversation.id,_.branches.nodes[0]?.id??null))});n.replaceChildren(...m),m.length||n.append(l("li",{class:"empty"},"No message matches.")),r.hidden=!0;return}let i=await E(Fe,{filter:{archived:bt()},first:ze,after:e?o.listCursor:null}),a=i.conversations.nodes.map(h=>Ye(h));e?n.append(...a):n.replaceChildren(...a),n.children.length||n.append(l("li",{class:"empty"},"No conversations yet.")),o.listCursor=i.conversations.pageInfo.endCursor,r.hidden=!i.conversations.pageInfo.hasNextPage}var k=ne(()=>{y(()=>fe())},150);async function wt(e,t){if(t){let n=await E(me,{input:{conversationId:e,branchId:t}});A(n.setCurrentBranch,"SetCurrentBranchSuccess")}location.hash===`#/c/${e}`?await he(e):location.hash=`#/c/${e}`}async function Ct(e,t){let r=(await E(Re,{id:e,last:Math.min(Math.max(t,nt),100)})).conversation;if(!r)return null;let i=[...r.branches.nodes],a=r.branches.pageInfo;for(;a.hasNextPage&&a.endCursor;){let h=await E(Be,{id:e,after:a.endCursor});if(!h.conversation)break;i.push(...h.conversation.branches.nodes),a=h.conversation.branches.pageInfo}return{conversation:r,branch:r.currentBranch,branches:i,messages:r.messages.nodes,earlierCursor:r.messages.pageInfo.hasPreviousPage?r.messages.pageInfo.startCursor:null}}async function he(e){if(e!==o.conversationId&&(j?.stop(),j=null,delete s("conversation").dataset.sequence,Object.assign(o,{conversationId:e,view:null,tree:null,replyTo:null,editing:null,lastSequence:null})),document.body.classList.toggle("reading",e!==null),e===null){be();return}await N({scrollToEnd:!0}),o.view&&!j&&xt(e),k()}async function N(e={}){let t=o.conversationId;if(!t)return;let n=s("messages"),r=n.scrollHeight-n.scrollTop-n.clientHeight<80,i=o.view?.messages.length??0,a=await Ct(t,i);t===o.conversationId&&(a&&o.view&&a.branch.id!==o.view.branch.id&&(o.replyTo=null),o.view=a,a||B("This conversation does not exist, or you may not see it."),o.showTree&&a&&(o.tree=await U.read(t)),be(),(e.scrollToEnd||r)&&(n.scrollTop=n.scrollHeight))}var rt=ne(()=>{y(()=>N())},100);async function Xe(){let e=o.view;if(!(!e||!e.earlierCursor||o.loadingEarlier)){o.loadingEarlier=!0;try{let n=(await E(Le,{id:e.conversation.id,branchId:e.branch.id,last:nt,before:e.earlierCursor})).conversation?.messages;if(!n||o.view!==e)return;let r=s("messages"),i=r.scrollHeight-r.scrollTop;e.messages=[...n.nodes,...e.messages],e.earlierCursor=n.pageInfo.hasPreviousPage?n.pageInfo.startCursor:null,oe(),r.scrollTop=r.scrollHeight-i}finally{o.loadingEarlier=!1}}}function xt(e){j=ge(Ke,()=>({conversationId:e,afterSequence:o.lastSequence}),t=>Tt(t.conversationEvents.sequence,t.conversationEvents.kind),t=>{t>0&&o.lastSequence===null&&rt()},ot)}function Tt(e,t){if(o.lastSequence=Math.max(o.lastSequence??0,e),s("conversation").dataset.sequence=String(o.lastSequence),t==="CONVERSATION_DELETED"){B("This conversation was deleted."),location.hash="";return}o.tree=null,rt(),k()}function ot(e){let t=s("live");t.textContent=e?"Live":"Reconnecting\u2026",t.className=e?"live on":"live off"}function ve(e,t){return e.name||`Branch ${t.indexOf(e)+1}`}function be(){let e=o.view;if(s("conversation").hidden=!e,s("empty-state").hidden=!!e,!e)return;s("conversation-title").textContent=ye(e.conversation),s("archive").textContent=e.conversation.archivedAt?"Unarchive":"Archive",s("branch-select").replaceChildren(...e.branches.map(n=>l("option",{value:n.id,selected:n.id===e.branch.id},`${ve(n,e.branches)} \xB7 ${X(n.messageCount,"message")}`))),s("delete-branch").disabled=e.branches.length<2,s("tree-toggle").setAttribute("aria-expanded",String(o.showTree)),oe(),Ee(),it()}function oe(){let e=o.view;if(!e)return;let t=s("message-list");t.replaceChildren(...e.messages.map(St)),s("earlier").hidden=!e.earlierCursor,e.messages.length||t.append(l("li",{class:"empty"},"No messages yet: write the first below."))}var st={USER:"User",ASSISTANT:"Assistant",SYSTEM:"System",DEVELOPER:"Developer",TOOL:"Tool",FUNCTION:"Function"};function St(e){let t=o.editing===e.id,n=e.siblingCount>1?l("span",{class:"switcher",role:"group","aria-label":"Versions of this message"},l("button",{type:"button","aria-label":"Previous version",disabled:e.siblingIndex===0,onclick:()=>{y(()=>Ze(e,-1))}},"\u2039"),l("span",{class:"position"},`${e.siblingIndex+1} / ${e.siblingCount}`),l("button",{type:"button","aria-label":"Next version",disabled:e.siblingIndex+1>=e.siblingCount,onclick:()=>{y(()=>Ze(e,1))}},"\u203A")):null,r=t?Mt(e):l("div",{class:"content","data-content-of":e.id},e.content),i=t?null:l("div",{class:"actions"},l("button",{type:"button",onclick:()=>It(e)},"Edit"),l("button",{type:"button",onclick:()=>_t(e)},"Reply"),l("button",{type:"button",class:"danger",onclick:()=>{y(()=>Pt(e))}},"Delete"));return l("li",{class:`message role-${e.role.toLowerCase()}`,"data-message-id":e.id},l("div",{class:"meta"},l("span",{class:"role"},st[e.role]??e.role),e.editOf?l("span",{class:"edited"},"edited"):null,n),r,i)}function Mt(e){let t=l("textarea",{"aria-label":"Edited message",rows:3});return t.value=e.content,queueMicrotask(()=>t.focus()),l("form",{class:"edit",onsubmit:n=>{n.preventDefault(),y(()=>At(e,t.value))}},t,l("div",{class:"actions"},l("button",{type:"submit"},"Save as new version"),l("button",{type:"button",onclick:Dt},"Cancel")))}function Ee(){let e=s("reply-note"),t=o.replyTo;e.hidden=!t,s("reply-text").textContent=t?t.content.slice(0,80):""}function it(){let e=s("tree");e.hidden=!o.showTree;let t=o.view;if(!o.showTree||!t)return;let n=o.tree,r=s("tree-body");if(!n){r.replaceChildren(l("p",{},"Reading the tree\u2026")),y(async()=>{o.tree=await U.read(t.conversation.id),it()});return}let i=n.pathTo(t.branch.tip?.id),a=new Map;for(let m of t.branches)m.tip&&a.set(m.tip.id,[...a.get(m.tip.id)??[],ve(m,t.branches)]);let h=m=>{let S=i.has(m.id),_=a.get(m.id);return l("li",{},l("button",{type:"button",class:S?"node on-branch":"node","data-tree-node":m.id,"aria-current":S?"true":void 0,onclick:()=>{y(()=>at(m.id))}},l("span",{class:"role"},st[m.role]??m.role)," ",m.content.slice(0,70)||"(empty)",_?l("span",{class:"tip"},_.join(", ")):null),m.children.length?l("ul",{},...m.children.map(h)):null)};r.replaceChildren(l("p",{class:"legend"},`${X(n.nodes.size,"message")}; the current branch is highlighted.`),l("ul",{class:"tree-root"},...n.roots.map(h)))}async function Ze(e,t){let n=o.view;if(!n)return;let i=(o.tree??(o.tree=await U.read(n.conversation.id))).siblingsOf(e.id)[e.siblingIndex+t];i&&await at(i.id)}async function at(e){let t=o.view;if(!t)return;let r=(o.tree??(o.tree=await U.read(t.conversation.id))).branchThrough(e,t.branches);if(!r)throw new P("No branch holds that message any more.",null);await ct(r.id)}async function ct(e){let t=o.view;if(!t)return;let n=await E(me,{input:{conversationId:t.conversation.id,branchId:e}});A(n.setCurrentBranch,"SetCurrentBranchSuccess"),await N({scrollToEnd:!0})}function It(e){o.editing=e.id,oe()}function Dt(){o.editing=null,oe()}async function At(e,t){let n=await E(qe,{input:{messageId:e.id,message:{role:e.role,content:t}}});A(n.updateMessage,"UpdateMessageSuccess"),o.editing=null,o.tree=null,await N({scrollToEnd:!0}),B("Saved as a new version; the original stays reachable with \u2039 \u203A.")}function _t(e){o.replyTo=e,Ee(),s("composer-text").focus()}async function Pt(e){if(!confirm("Delete this message and every reply under it?"))return;let t=await E(He,{input:{messageId:e.id}}),n=A(t.deleteMessage,"DeleteMessageSuccess");o.tree=null,await N(),B(`Deleted ${X(n.deletedMessageCount,"message")}.`)}async function kt(e){e.preventDefault();let t=o.view,n=s("composer-text");if(!t||!n.value.trim())return;let r=s("composer-role").value,i=n.value,a=o.replyTo?{parentId:o.replyTo.id}:{branchId:t.branch.id},h=await E(Ve,{input:{conversationId:t.conversation.id,message:{role:r,content:i},...a}});A(h.addMessage,"AddMessageSuccess"),n.value="",o.replyTo=null,t.conversation.title||await E(re,{input:{id:t.conversation.id,title:i.trim().slice(0,60)}}),o.tree=null,await N({scrollToEnd:!0})}async function Nt(){let e=await E(Ue,{input:{}}),t=A(e.createConversation,"CreateConversationSuccess");location.hash=`#/c/${t.conversation.id}`,s("composer-text").focus()}async function Ft(){let e=o.view;if(!e)return;let t=prompt("Title of the conversation",e.conversation.title??"");if(t===null)return;let n=await E(re,{input:{id:e.conversation.id,title:t.trim()||null}});A(n.updateConversation,"UpdateConversationSuccess"),await N(),k()}async function $t(){let e=o.view;if(!e)return;let t=await E(re,{input:{id:e.conversation.id,archived:!e.conversation.archivedAt}});A(t.updateConversation,"UpdateConversationSuccess"),await N(),k()}async function Rt(){let e=o.view;if(!e||!confirm(`Delete \u201C${ye(e.conversation)}\u201D with every message?`))return;let t=await E(Ge,{input:{id:e.conversation.id}});A(t.deleteConversation,"DeleteConversationSuccess"),location.hash="",k()}async function Bt(){let e=o.view;if(!e)return;let t=prompt("Name of this branch (empty: no name)",e.branch.name??"");if(t===null)return;let n=await E(We,{input:{branchId:e.branch.id,name:t.trim()||null}});A(n.renameBranch,"RenameBranchSuccess"),await N()}async function Lt(){let e=o.view;if(!e)return;let t=ve(e.branch,e.branches);if(!confirm(`Delete ${t} and the messages no other branch holds?`))return;let n=await E(Qe,{input:{branchId:e.branch.id}}),r=A(n.deleteBranch,"DeleteBranchSuccess");o.tree=null,await N({scrollToEnd:!0}),B(`Deleted ${t} (${X(r.deletedMessageCount,"message")}).`)}function et(){let e=/^#\/c\/([0-9a-f-]{36})$/i.exec(location.hash);y(()=>he(e?e[1]:null))}function tt(){Je?.stop(),Je=ge(je,()=>({}),()=>k(),e=>{e>0&&k()},ot)}function Ot(){s("new-conversation").addEventListener("click",()=>{y(Nt)}),s("search").addEventListener("input",ne(k,250)),s("archive-filter").addEventListener("change",k),s("list-more").addEventListener("click",()=>{y(()=>fe(!0))}),s("composer").addEventListener("submit",t=>{y(()=>kt(t))}),s("composer-text").addEventListener("keydown",t=>{let n=t;n.key==="Enter"&&(n.ctrlKey||n.metaKey)&&s("composer").requestSubmit()}),s("cancel-reply").addEventListener("click",()=>{o.replyTo=null,Ee()}),s("rename-conversation").addEventListener("click",()=>{y(Ft)}),s("archive").addEventListener("click",()=>{y($t)}),s("delete-conversation").addEventListener("click",()=>{y(Rt)}),s("rename-branch").addEventListener("click",()=>{y(Bt)}),s("delete-branch").addEventListener("click",()=>{y(Lt)}),s("branch-select").addEventListener("change",t=>{y(()=>ct(t.target.value))}),s("tree-toggle").addEventListener("click",()=>{o.showTree=!o.showTree,be()}),s("back").addEventListener("click",()=>{location.hash=""}),s("earlier").addEventListener("click",()=>{y(Xe)}),new IntersectionObserver(t=>{t.some(n=>n.isIntersecting)&&y(Xe)}).observe(s("earlier"));let e=s("token");e.value=pe(),s("token-form").addEventListener("submit",t=>{t.preventDefault(),Ae(e.value.trim()),ke(),s("token-panel").open=!1,B(e.value?"Token saved.":"Token removed."),j?.stop(),j=null,tt();let n=o.conversationId;o.conversationId=null,y(()=>he(n)),k()}),window.addEventListener("hashchange",et),tt(),et(),y(async()=>{await fe(),performance.mark("convograph:interactive")})}Ot();
