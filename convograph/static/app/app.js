var gn=Object.defineProperty;var mn=(e,n,t)=>n in e?gn(e,n,{enumerable:!0,configurable:!0,writable:!0,value:t}):e[n]=t;var G=(e,n,t)=>mn(e,typeof n!="symbol"?n+"":n,t);function M(e){return e===null?"null":Array.isArray(e)?"array":typeof e}function R(e){return M(e)==="object"}function fn(e){return Array.isArray(e)&&e.length>0&&e.every(n=>"message"in n)}function le(e,n){return e.length<124?e:n}var Me="graphql-transport-ws";var I=(e=>(e[e.InternalServerError=4500]="InternalServerError",e[e.InternalClientError=4005]="InternalClientError",e[e.BadRequest=4400]="BadRequest",e[e.BadResponse=4004]="BadResponse",e[e.Unauthorized=4401]="Unauthorized",e[e.Forbidden=4403]="Forbidden",e[e.SubprotocolNotAcceptable=4406]="SubprotocolNotAcceptable",e[e.ConnectionInitialisationTimeout=4408]="ConnectionInitialisationTimeout",e[e.ConnectionAcknowledgementTimeout=4504]="ConnectionAcknowledgementTimeout",e[e.SubscriberAlreadyExists=4409]="SubscriberAlreadyExists",e[e.TooManyInitialisationRequests=4429]="TooManyInitialisationRequests",e))(I||{}),D=(e=>(e.ConnectionInit="connection_init",e.ConnectionAck="connection_ack",e.Ping="ping",e.Pong="pong",e.Subscribe="subscribe",e.Next="next",e.Error="error",e.Complete="complete",e))(D||{});function Ie(e){if(!R(e))throw new Error(`Message is expected to be an object, but got ${M(e)}`);if(!e.type)throw new Error("Message is missing the 'type' property");if(typeof e.type!="string")throw new Error(`Message is expects the 'type' property to be a string, but got ${M(e.type)}`);switch(e.type){case"connection_init":case"connection_ack":case"ping":case"pong":{if(e.payload!=null&&!R(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object or nullish or missing, but got "${e.payload}"`);break}case"subscribe":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${M(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!R(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${M(e.payload)}`);if(typeof e.payload.query!="string")throw new Error(`"${e.type}" message payload expects the 'query' property to be a string, but got ${M(e.payload.query)}`);if(e.payload.variables!=null&&!R(e.payload.variables))throw new Error(`"${e.type}" message payload expects the 'variables' property to be a an object or nullish or missing, but got ${M(e.payload.variables)}`);if(e.payload.operationName!=null&&M(e.payload.operationName)!=="string")throw new Error(`"${e.type}" message payload expects the 'operationName' property to be a string or nullish or missing, but got ${M(e.payload.operationName)}`);if(e.payload.extensions!=null&&!R(e.payload.extensions))throw new Error(`"${e.type}" message payload expects the 'extensions' property to be a an object or nullish or missing, but got ${M(e.payload.extensions)}`);break}case"next":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${M(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!R(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${M(e.payload)}`);break}case"error":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${M(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!fn(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an array of GraphQL errors, but got ${JSON.stringify(e.payload)}`);break}case"complete":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${M(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);break}default:throw new Error(`Invalid message 'type' property "${e.type}"`)}return e}function De(e,n){return Ie(typeof e=="string"?JSON.parse(e,n):e)}function K(e,n){return Ie(e),JSON.stringify(e,n)}function de(e){let{url:n,connectionParams:t,lazy:r=!0,onNonLazyError:i=console.error,lazyCloseTimeout:a=0,keepAlive:h=0,disablePong:m,connectionAckWaitTimeout:S=0,retryAttempts:A=5,retryWait:U=async function(g){let l=Math.pow(2,g);await new Promise(p=>setTimeout(p,l*1e3+Math.floor(Math.random()*2700+300)))},shouldRetry:q=ce,on:w,webSocketImpl:se,generateID:dn=function(){return"xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g,g=>{let l=Math.random()*16|0;return(g=="x"?l:l&3|8).toString(16)})},jsonMessageReplacer:Z,jsonMessageReviver:un}=e,H;if(se){if(!hn(se))throw new Error("Invalid WebSocket implementation provided");H=se}else typeof WebSocket<"u"?H=WebSocket:typeof global<"u"?H=global.WebSocket||global.MozWebSocket:typeof window<"u"&&(H=window.WebSocket||window.MozWebSocket);if(!H)throw new Error("WebSocket implementation missing; on Node you can `import WebSocket from 'ws';` and pass `webSocketImpl: WebSocket` to `createClient`");let L=H,x=(()=>{let d=(()=>{let l={};return{on(p,b){return l[p]=b,()=>{delete l[p]}},emit(p){"id"in p&&l[p.id]?.(p)}}})(),g={connecting:w?.connecting?[w.connecting]:[],opened:w?.opened?[w.opened]:[],connected:w?.connected?[w.connected]:[],ping:w?.ping?[w.ping]:[],pong:w?.pong?[w.pong]:[],message:w?.message?[d.emit,w.message]:[d.emit],closed:w?.closed?[w.closed]:[],error:w?.error?[w.error]:[]};return{onMessage:d.on,on(l,p){let b=g[l];return b.push(p),()=>{let v=b.indexOf(p);v>-1&&b.splice(v,1)}},emit(l,...p){for(let b of[...g[l]])b(...p)}}})();function ie(d){let g=[x.on("error",l=>{g.forEach(p=>p()),d(l)}),x.on("closed",l=>{g.forEach(p=>p()),d(l)})];return()=>g.forEach(l=>l())}let O,$=0,ae,z=!1,ee=0,Ce=!1;async function we(){clearTimeout(ae);let[d,g]=await(O??(O=new Promise((b,v)=>(async()=>{if(z){if(await U(ee),!$)return O=void 0,v({code:1e3,reason:"All Subscriptions Gone"});ee++}x.emit("connecting",z);let u=new L(typeof n=="function"?await n():n,Me),F,Q;function ne(){isFinite(h)&&h>0&&(clearTimeout(Q),Q=setTimeout(()=>{u.readyState===L.OPEN&&(u.send(K({type:D.Ping})),x.emit("ping",!1,void 0))},h))}ie(T=>{O=void 0,clearTimeout(F),clearTimeout(Q),v(T),T instanceof J&&(u.close(4499,"Terminated"),u.onerror=null,u.onclose=null)}),u.onerror=T=>x.emit("error",T),u.onclose=T=>x.emit("closed",T),u.onopen=async()=>{try{x.emit("opened",u);let T=typeof t=="function"?await t():t;if(u.readyState!==L.OPEN)return;u.send(K(T?{type:D.ConnectionInit,payload:T}:{type:D.ConnectionInit},Z)),isFinite(S)&&S>0&&(F=setTimeout(()=>{u.close(I.ConnectionAcknowledgementTimeout,"Connection acknowledgement timeout")},S)),ne()}catch(T){x.emit("error",T),u.close(I.InternalClientError,le(T instanceof Error?T.message:String(T),"Internal client error"))}};let W=!1;u.onmessage=({data:T})=>{try{let C=De(T,un);if(x.emit("message",C),C.type==="ping"||C.type==="pong"){x.emit(C.type,!0,C.payload),C.type==="pong"?ne():m||(u.send(K(C.payload?{type:D.Pong,payload:C.payload}:{type:D.Pong},Z)),x.emit("pong",!1,C.payload));return}if(W)return;if(C.type!==D.ConnectionAck)throw new Error(`First message cannot be of type ${C.type}`);clearTimeout(F),W=!0,x.emit("connected",u,C.payload,z),z=!1,ee=0;let Se=new Promise((Un,pn)=>ie(pn));Se.catch(()=>{}),b([u,Se])}catch(C){u.onmessage=null,x.emit("error",C),u.close(I.BadResponse,le(C instanceof Error?C.message:String(C),"Bad response"))}}})())));d.readyState===L.CLOSING&&await g;let l=()=>{},p=new Promise(b=>l=b);return[d,l,new Promise((b,v)=>{let u=ie(v);d.readyState!==L.OPEN&&g.catch(v),p.then(()=>{if(u(),!$){let F=()=>d.close(1e3,"Normal Closure");isFinite(a)&&a>0?(clearTimeout(ae),ae=setTimeout(()=>{!$&&d.readyState===L.OPEN&&F()},a)):F()}b()})})]}function xe(d){if(ce(d)&&(yn(d.code)||[I.InternalServerError,I.InternalClientError,I.BadRequest,I.BadResponse,I.Unauthorized,I.SubprotocolNotAcceptable,I.SubscriberAlreadyExists,I.TooManyInitialisationRequests].includes(d.code)))throw d;if(Ce)return!1;if(ce(d)&&d.code===1e3)return $>0;if(!A||ee>=A||!q(d))throw d;return z=!0}r||(async()=>{for($++;;)try{let[,,d]=await we();await d}catch(d){try{if(!xe(d))return}catch(g){return i?.(g)}}})();function Te(d,g){let l=dn(d),p=!1,b=!1,v=()=>{$--,p=!0};return(async()=>{for($++;;)try{let[u,F,Q]=await we();if(p)return Q.catch(()=>{}),F();let ne=x.onMessage(l,W=>{switch(W.type){case D.Next:{g.next(W.payload);return}case D.Error:{b=!0,p=!0,g.error(W.payload),v();return}case D.Complete:{p=!0,v();return}}});u.send(K({id:l,type:D.Subscribe,payload:d},Z)),v=()=>{!p&&u.readyState===L.OPEN&&u.send(K({id:l,type:D.Complete},Z)),$--,p=!0,F()},await Q.finally(ne);return}catch(u){if(!xe(u))return}})().then(()=>{b||g.complete()}).catch(u=>{g.error(u)}),()=>{p||v()}}return{on:x.on,subscribe:Te,iterate(d){let g=[],l={done:!1,error:null,resolve:()=>{}},p=Te(d,{next(v){g.push(v),l.resolve()},error(v){l.done=!0,l.error=v,l.resolve()},complete(){l.done=!0,l.resolve()}}),b=(async function*(){for(;;){for(g.length||await new Promise(u=>l.resolve=u);g.length;)yield g.shift();if(l.error)throw l.error;if(l.done)return}})();return b.throw=async v=>(l.done||(l.done=!0,l.error=v,l.resolve()),{done:!0,value:void 0}),b.return=async()=>(p(),{done:!0,value:void 0}),b},async dispose(){if(Ce=!0,O){let[d]=await O;d.close(1e3,"Normal Closure")}},terminate(){O&&x.emit("closed",new J)}}}var J=class extends Error{constructor(){super(...arguments);G(this,"name","TerminatedCloseEvent");G(this,"message","4499: Terminated");G(this,"code",4499);G(this,"reason","Terminated");G(this,"wasClean",!1)}};function ce(e){return R(e)&&"code"in e&&"reason"in e}function yn(e){return[1e3,1001,1006,1005,1012,1013,1014].includes(e)?!1:e>=1e3&&e<=1999}function hn(e){return typeof e=="function"&&"constructor"in e&&"CLOSED"in e&&"CLOSING"in e&&"CONNECTING"in e&&"OPEN"in e}var ue="convograph.token",P=class extends Error{constructor(t,r){super(t);this.code=r}};function pe(){return localStorage.getItem(ue)??""}function _e(e){e?localStorage.setItem(ue,e):localStorage.removeItem(ue)}function Ae(){let e=pe().trim();return e?{authorization:/^bearer /i.test(e)?e:`Bearer ${e}`}:{}}var Pe=new URL("graphql",document.baseURI);async function E(e,n){let t;try{t=await fetch(Pe,{method:"POST",headers:{"content-type":"application/json",...Ae()},body:JSON.stringify({query:e.toString(),variables:n})})}catch{throw new P("The server cannot be reached.","NETWORK")}let r;try{r=await t.json()}catch{throw new P(`The server answered ${t.status} without a GraphQL body.`,null)}let i=r.errors?.[0];if(i)throw new P(i.message,i.extensions?.code??null);if(r.data==null)throw new P("The server sent no data.",null);return r.data}function _(e,n){if(e.__typename!==n)throw new P(e.detail??e.__typename,e.code??null);return e}var Y=null;function bn(){if(Y===null){let e=new URL(Pe);e.protocol=e.protocol==="https:"?"wss:":"ws:",Y=de({url:e.toString(),connectionParams:()=>Ae(),retryAttempts:0,lazyCloseTimeout:1e3})}return Y}function ke(){Y?.dispose(),Y=null}function ge(e,n,t,r,i){let a=!1,h=0,m=null,S,A=()=>{if(i(!1),a)return;let q=Math.min(500*2**Math.min(h,5),15e3);S=window.setTimeout(U,q)},U=()=>{a||(r(h),h+=1,m=bn().subscribe({query:e.toString(),variables:n()},{next:q=>{h=1,i(!0),q.data&&t(q.data)},error:A,complete:()=>{i(!1)}}),i(!0))};return U(),{stop(){a=!0,window.clearTimeout(S),m?.()}}}function c(e,n={},...t){let r=document.createElement(e);for(let[i,a]of Object.entries(n))a===void 0||a===!1||(i.startsWith("on")&&typeof a=="function"?r.addEventListener(i.slice(2),a):i==="class"?r.className=String(a):r.setAttribute(i,a===!0?"":String(a)));return r.append(...t.filter(i=>!!i)),r}function s(e){let n=document.getElementById(e);if(!n)throw new Error(`#${e} is missing from the page`);return n}function Ne(e){let n=[];for(let t of e.split("")){let r=t.indexOf("");if(r<0){n.push(document.createTextNode(t));continue}n.push(c("mark",{},t.slice(0,r)),document.createTextNode(t.slice(r+1)))}return n}function te(e,n){let t;return()=>{window.clearTimeout(t),t=window.setTimeout(e,n)}}var f=class extends String{constructor(n,t){super(n),this.value=n,this.__meta__=t}toString(){return this.value}},Xn=new f(`
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
    `,{fragmentName:"MessageFields"}),Zn=new f(`
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
    `,{fragmentName:"BranchFields"}),et=new f(`
    fragment Problem on UserError {
  code
  detail
  field
}
    `,{fragmentName:"Problem"}),nt=new f(`
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
    `),Ve=new f(`
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
    `);var V=class e{constructor(n){this.nodes=new Map;this.roots=[];for(let r of n)this.nodes.set(r.id,{id:r.id,role:r.role,content:r.content,parentId:r.parent?.id??null,siblingIndex:r.siblingIndex,children:[]});for(let r of this.nodes.values()){let i=r.parentId?this.nodes.get(r.parentId):void 0;(i?i.children:this.roots).push(r)}let t=(r,i)=>r.siblingIndex-i.siblingIndex;this.roots.sort(t);for(let r of this.nodes.values())r.children.sort(t)}static async read(n){let t=[],r=null;for(;;){let a=(await E(Oe,{id:n,first:100,after:r})).conversation?.messagesInTree;if(!a||(t.push(...a.nodes),!a.pageInfo.hasNextPage))break;r=a.pageInfo.endCursor}return new e(t)}siblingsOf(n){let t=this.nodes.get(n);if(!t)return[];let r=t.parentId?this.nodes.get(t.parentId):void 0;return r?r.children:this.roots}pathTo(n){let t=new Set,r=n?this.nodes.get(n):void 0;for(;r&&!t.has(r.id);)t.add(r.id),r=r.parentId?this.nodes.get(r.parentId):void 0;return t}branchThrough(n,t){let r=null;for(let i of t)!i.tip||!this.pathTo(i.tip.id).has(n)||(!r||i.updatedAt>r.updatedAt)&&(r=i);return r}};var tn=30,ze=30,o={conversationId:null,view:null,tree:null,showTree:!1,replyTo:null,editing:null,listCursor:null,lastSequence:null,loadingEarlier:!1},j=null,Je=null;function B(e){s("status").textContent=e}function vn(e){if(e instanceof P&&e.code==="UNAUTHENTICATED"){s("token-panel").open=!0,B(`This server needs a token: ${e.message}`);return}B(e instanceof Error?e.message:String(e))}async function y(e){try{await e()}catch(n){vn(n)}}function En(){let e=s("archive-filter").value;return e==="all"?null:e==="archived"}function ye(e){return e.title||"Untitled conversation"}function X(e,n){return`${e} ${n}${e===1?"":"s"}`}function Cn(e){return new Date(e).toLocaleString(void 0,{dateStyle:"medium",timeStyle:"short"})}function Ye(e,n){let t=e.id===o.conversationId;return c("li",{},c("a",{href:`#/c/${e.id}`,class:t?"conversation current":"conversation","aria-current":t?"page":void 0},c("span",{class:"title"},ye(e)),...n??[],c("span",{class:"when"},`${X(e.messageCount,"message")} \xB7 ${Cn(e.createdAt)}`,e.archivedAt?" \xB7 archived":"")))}async function fe(e=!1){let n=s("search").value.trim(),t=s("conversation-list"),r=s("list-more");if(n){let h=await E($e,{query:n,first:ze}),m=h.searchMessages.nodes.map(S=>Ye(S.conversation,[c("span",{class:"snippet"},...Ne(S.snippet))]));for(let[S,A]of h.searchMessages.nodes.entries())m[S].querySelector("a")?.addEventListener("click",U=>{U.preventDefault(),y(()=>wn(A.conversation.id,A.branches.nodes[0]?.id??null))});t.replaceChildren(...m),m.length||t.append(c("li",{class:"empty"},"No message matches.")),r.hidden=!0;return}let i=await E(Fe,{filter:{archived:En()},first:ze,after:e?o.listCursor:null}),a=i.conversations.nodes.map(h=>Ye(h));e?t.append(...a):t.replaceChildren(...a),t.children.length||t.append(c("li",{class:"empty"},"No conversations yet.")),o.listCursor=i.conversations.pageInfo.endCursor,r.hidden=!i.conversations.pageInfo.hasNextPage}var k=te(()=>{y(()=>fe())},150);async function wn(e,n){if(n){let t=await E(me,{input:{conversationId:e,branchId:n}});_(t.setCurrentBranch,"SetCurrentBranchSuccess")}location.hash===`#/c/${e}`?await he(e):location.hash=`#/c/${e}`}async function xn(e,n){let r=(await E(Re,{id:e,last:Math.min(Math.max(n,tn),100)})).conversation;if(!r)return null;let i=[...r.branches.nodes],a=r.branches.pageInfo;for(;a.hasNextPage&&a.endCursor;){let h=await E(Be,{id:e,after:a.endCursor});if(!h.conversation)break;i.push(...h.conversation.branches.nodes),a=h.conversation.branches.pageInfo}return{conversation:r,branch:r.currentBranch,branches:i,messages:r.messages.nodes,earlierCursor:r.messages.pageInfo.hasPreviousPage?r.messages.pageInfo.startCursor:null}}async function he(e){if(e!==o.conversationId&&(j?.stop(),j=null,delete s("conversation").dataset.sequence,Object.assign(o,{conversationId:e,view:null,tree:null,replyTo:null,editing:null,lastSequence:null})),document.body.classList.toggle("reading",e!==null),e===null){ve();return}await N({scrollToEnd:!0}),o.view&&!j&&Tn(e),k()}async function N(e={}){let n=o.conversationId;if(!n)return;let t=s("messages"),r=t.scrollHeight-t.scrollTop-t.clientHeight<80,i=o.view?.messages.length??0,a=await xn(n,i);n===o.conversationId&&(a&&o.view&&a.branch.id!==o.view.branch.id&&(o.replyTo=null),o.view=a,a||B("This conversation does not exist, or you may not see it."),o.showTree&&a&&(o.tree=await V.read(n)),ve(),(e.scrollToEnd||r)&&(t.scrollTop=t.scrollHeight))}var rn=te(()=>{y(()=>N())},100);async function Xe(){let e=o.view;if(!(!e||!e.earlierCursor||o.loadingEarlier)){o.loadingEarlier=!0;try{let t=(await E(Le,{id:e.conversation.id,branchId:e.branch.id,last:tn,before:e.earlierCursor})).conversation?.messages;if(!t||o.view!==e)return;let r=s("messages"),i=r.scrollHeight-r.scrollTop;e.messages=[...t.nodes,...e.messages],e.earlierCursor=t.pageInfo.hasPreviousPage?t.pageInfo.startCursor:null,oe(),r.scrollTop=r.scrollHeight-i}finally{o.loadingEarlier=!1}}}function Tn(e){j=ge(Ke,()=>({conversationId:e,afterSequence:o.lastSequence}),n=>Sn(n.conversationEvents.sequence,n.conversationEvents.kind),n=>{n>0&&o.lastSequence===null&&rn()},on)}function Sn(e,n){if(o.lastSequence=Math.max(o.lastSequence??0,e),s("conversation").dataset.sequence=String(o.lastSequence),n==="CONVERSATION_DELETED"){B("This conversation was deleted."),location.hash="";return}o.tree=null,rn(),k()}function on(e){let n=s("live");n.textContent=e?"Live":"Reconnecting\u2026",n.className=e?"live on":"live off"}function be(e,n){return e.name||`Branch ${n.indexOf(e)+1}`}function ve(){let e=o.view;if(s("conversation").hidden=!e,s("empty-state").hidden=!!e,!e)return;s("conversation-title").textContent=ye(e.conversation),s("archive").textContent=e.conversation.archivedAt?"Unarchive":"Archive",s("branch-select").replaceChildren(...e.branches.map(t=>c("option",{value:t.id,selected:t.id===e.branch.id},`${be(t,e.branches)} \xB7 ${X(t.messageCount,"message")}`))),s("delete-branch").disabled=e.branches.length<2,s("tree-toggle").setAttribute("aria-expanded",String(o.showTree)),oe(),Ee(),an()}function oe(){let e=o.view;if(!e)return;let n=s("message-list");n.replaceChildren(...e.messages.map(Mn)),s("earlier").hidden=!e.earlierCursor,e.messages.length||n.append(c("li",{class:"empty"},"No messages yet: write the first below."))}var sn={USER:"User",ASSISTANT:"Assistant",SYSTEM:"System",DEVELOPER:"Developer",TOOL:"Tool",FUNCTION:"Function"};function Mn(e){let n=o.editing===e.id,t=e.siblingCount>1?c("span",{class:"switcher",role:"group","aria-label":"Versions of this message"},c("button",{type:"button","aria-label":"Previous version",disabled:e.siblingIndex===0,onclick:()=>{y(()=>Ze(e,-1))}},"\u2039"),c("span",{class:"position"},`${e.siblingIndex+1} / ${e.siblingCount}`),c("button",{type:"button","aria-label":"Next version",disabled:e.siblingIndex+1>=e.siblingCount,onclick:()=>{y(()=>Ze(e,1))}},"\u203A")):null,r=n?In(e):c("div",{class:"content","data-content-of":e.id},e.content),i=n?null:c("div",{class:"actions"},c("button",{type:"button",onclick:()=>Dn(e)},"Edit"),c("button",{type:"button",onclick:()=>Pn(e)},"Reply"),c("button",{type:"button",class:"danger",onclick:()=>{y(()=>kn(e))}},"Delete"));return c("li",{class:`message role-${e.role.toLowerCase()}`,"data-message-id":e.id},c("div",{class:"meta"},c("span",{class:"role"},sn[e.role]??e.role),e.editOf?c("span",{class:"edited"},"edited"):null,t),r,i)}function In(e){let n=c("textarea",{"aria-label":"Edited message",rows:3});return n.value=e.content,queueMicrotask(()=>n.focus()),c("form",{class:"edit",onsubmit:t=>{t.preventDefault(),y(()=>An(e,n.value))}},n,c("div",{class:"actions"},c("button",{type:"submit"},"Save as new version"),c("button",{type:"button",onclick:_n},"Cancel")))}function Ee(){let e=s("reply-note"),n=o.replyTo;e.hidden=!n,s("reply-text").textContent=n?n.content.slice(0,80):""}function an(){let e=s("tree");e.hidden=!o.showTree;let n=o.view;if(!o.showTree||!n)return;let t=o.tree,r=s("tree-body");if(!t){r.replaceChildren(c("p",{},"Reading the tree\u2026")),y(async()=>{o.tree=await V.read(n.conversation.id),an()});return}let i=t.pathTo(n.branch.tip?.id),a=new Map;for(let m of n.branches)m.tip&&a.set(m.tip.id,[...a.get(m.tip.id)??[],be(m,n.branches)]);let h=m=>{let S=i.has(m.id),A=a.get(m.id);return c("li",{},c("button",{type:"button",class:S?"node on-branch":"node","data-tree-node":m.id,"aria-current":S?"true":void 0,onclick:()=>{y(()=>ln(m.id))}},c("span",{class:"role"},sn[m.role]??m.role)," ",m.content.slice(0,70)||"(empty)",A?c("span",{class:"tip"},A.join(", ")):null),m.children.length?c("ul",{},...m.children.map(h)):null)};r.replaceChildren(c("p",{class:"legend"},`${X(t.nodes.size,"message")}; the current branch is highlighted.`),c("ul",{class:"tree-root"},...t.roots.map(h)))}async function Ze(e,n){let t=o.view;if(!t)return;let i=(o.tree??(o.tree=await V.read(t.conversation.id))).siblingsOf(e.id)[e.siblingIndex+n];i&&await ln(i.id)}async function ln(e){let n=o.view;if(!n)return;let r=(o.tree??(o.tree=await V.read(n.conversation.id))).branchThrough(e,n.branches);if(!r)throw new P("No branch holds that message any more.",null);await cn(r.id)}async function cn(e){let n=o.view;if(!n)return;let t=await E(me,{input:{conversationId:n.conversation.id,branchId:e}});_(t.setCurrentBranch,"SetCurrentBranchSuccess"),await N({scrollToEnd:!0})}function Dn(e){o.editing=e.id,oe()}function _n(){o.editing=null,oe()}async function An(e,n){let t=await E(qe,{input:{messageId:e.id,message:{role:e.role,content:n}}});_(t.updateMessage,"UpdateMessageSuccess"),o.editing=null,o.tree=null,await N({scrollToEnd:!0}),B("Saved as a new version; the original stays reachable with \u2039 \u203A.")}function Pn(e){o.replyTo=e,Ee(),s("composer-text").focus()}async function kn(e){if(!confirm("Delete this message and every reply under it?"))return;let n=await E(He,{input:{messageId:e.id}}),t=_(n.deleteMessage,"DeleteMessageSuccess");o.tree=null,await N(),B(`Deleted ${X(t.deletedMessageCount,"message")}.`)}async function Nn(e){e.preventDefault();let n=o.view,t=s("composer-text");if(!n||!t.value.trim())return;let r=s("composer-role").value,i=t.value,a=o.replyTo?{parentId:o.replyTo.id}:{branchId:n.branch.id},h=await E(Ue,{input:{conversationId:n.conversation.id,message:{role:r,content:i},...a}});_(h.addMessage,"AddMessageSuccess"),t.value="",o.replyTo=null,n.conversation.title||await E(re,{input:{id:n.conversation.id,title:i.trim().slice(0,60)}}),o.tree=null,await N({scrollToEnd:!0})}async function Fn(){let e=await E(Ve,{input:{}}),n=_(e.createConversation,"CreateConversationSuccess");location.hash=`#/c/${n.conversation.id}`,s("composer-text").focus()}async function $n(){let e=o.view;if(!e)return;let n=prompt("Title of the conversation",e.conversation.title??"");if(n===null)return;let t=await E(re,{input:{id:e.conversation.id,title:n.trim()||null}});_(t.updateConversation,"UpdateConversationSuccess"),await N(),k()}async function Rn(){let e=o.view;if(!e)return;let n=await E(re,{input:{id:e.conversation.id,archived:!e.conversation.archivedAt}});_(n.updateConversation,"UpdateConversationSuccess"),await N(),k()}async function Bn(){let e=o.view;if(!e||!confirm(`Delete \u201C${ye(e.conversation)}\u201D with every message?`))return;let n=await E(Ge,{input:{id:e.conversation.id}});_(n.deleteConversation,"DeleteConversationSuccess"),location.hash="",k()}async function Ln(){let e=o.view;if(!e)return;let n=prompt("Name of this branch (empty: no name)",e.branch.name??"");if(n===null)return;let t=await E(We,{input:{branchId:e.branch.id,name:n.trim()||null}});_(t.renameBranch,"RenameBranchSuccess"),await N()}async function On(){let e=o.view;if(!e)return;let n=be(e.branch,e.branches);if(!confirm(`Delete ${n} and the messages no other branch holds?`))return;let t=await E(Qe,{input:{branchId:e.branch.id}}),r=_(t.deleteBranch,"DeleteBranchSuccess");o.tree=null,await N({scrollToEnd:!0}),B(`Deleted ${n} (${X(r.deletedMessageCount,"message")}).`)}function en(){let e=/^#\/c\/([0-9a-f-]{36})$/i.exec(location.hash);y(()=>he(e?e[1]:null))}function nn(){Je?.stop(),Je=ge(je,()=>({}),()=>k(),e=>{e>0&&k()},on)}function Vn(){s("new-conversation").addEventListener("click",()=>{y(Fn)}),s("search").addEventListener("input",te(k,250)),s("archive-filter").addEventListener("change",k),s("list-more").addEventListener("click",()=>{y(()=>fe(!0))}),s("composer").addEventListener("submit",n=>{y(()=>Nn(n))}),s("composer-text").addEventListener("keydown",n=>{let t=n;t.key==="Enter"&&(t.ctrlKey||t.metaKey)&&s("composer").requestSubmit()}),s("cancel-reply").addEventListener("click",()=>{o.replyTo=null,Ee()}),s("rename-conversation").addEventListener("click",()=>{y($n)}),s("archive").addEventListener("click",()=>{y(Rn)}),s("delete-conversation").addEventListener("click",()=>{y(Bn)}),s("rename-branch").addEventListener("click",()=>{y(Ln)}),s("delete-branch").addEventListener("click",()=>{y(On)}),s("branch-select").addEventListener("change",n=>{y(()=>cn(n.target.value))}),s("tree-toggle").addEventListener("click",()=>{o.showTree=!o.showTree,ve()}),s("back").addEventListener("click",()=>{location.hash=""}),s("earlier").addEventListener("click",()=>{y(Xe)}),new IntersectionObserver(n=>{n.some(t=>t.isIntersecting)&&y(Xe)}).observe(s("earlier"));let e=s("token");e.value=pe(),s("token-form").addEventListener("submit",n=>{n.preventDefault(),_e(e.value.trim()),ke(),s("token-panel").open=!1,B(e.value?"Token saved.":"Token removed."),j?.stop(),j=null,nn();let t=o.conversationId;o.conversationId=null,y(()=>he(t)),k()}),window.addEventListener("hashchange",en),nn(),en(),y(async()=>{await fe(),performance.mark("convograph:interactive")})}Vn();
