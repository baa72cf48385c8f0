var ft=Object.defineProperty;var yt=(e,t,n)=>t in e?ft(e,t,{enumerable:!0,configurable:!0,writable:!0,value:n}):e[t]=n;var G=(e,t,n)=>yt(e,typeof t!="symbol"?t+"":t,n);function T(e){return e===null?"null":Array.isArray(e)?"array":typeof e}function L(e){return T(e)==="object"}function ht(e){return Array.isArray(e)&&e.length>0&&e.every(t=>"message"in t)}function ae(e,t){return e.length<124?e:t}var Me="graphql-transport-ws";var I=(e=>(e[e.InternalServerError=4500]="InternalServerError",e[e.InternalClientError=4005]="InternalClientError",e[e.BadRequest=4400]="BadRequest",e[e.BadResponse=4004]="BadResponse",e[e.Unauthorized=4401]="Unauthorized",e[e.Forbidden=4403]="Forbidden",e[e.SubprotocolNotAcceptable=4406]="SubprotocolNotAcceptable",e[e.ConnectionInitialisationTimeout=4408]="ConnectionInitialisationTimeout",e[e.ConnectionAcknowledgementTimeout=4504]="ConnectionAcknowledgementTimeout",e[e.SubscriberAlreadyExists=4409]="SubscriberAlreadyExists",e[e.TooManyInitialisationRequests=4429]="TooManyInitialisationRequests",e))(I||{}),D=(e=>(e.ConnectionInit="connection_init",e.ConnectionAck="connection_ack",e.Ping="ping",e.Pong="pong",e.Subscribe="subscribe",e.Next="next",e.Error="error",e.Complete="complete",e))(D||{});function Ie(e){if(!L(e))throw new Error(`Message is expected to be an object, but got ${T(e)}`);if(!e.type)throw new Error("Message is missing the 'type' property");if(typeof e.type!="string")throw new Error(`Message is expects the 'type' property to be a string, but got ${T(e.type)}`);switch(e.type){case"connection_init":case"connection_ack":case"ping":case"pong":{if(e.payload!=null&&!L(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object or nullish or missing, but got "${e.payload}"`);break}case"subscribe":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${T(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!L(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${T(e.payload)}`);if(typeof e.payload.query!="string")throw new Error(`"${e.type}" message payload expects the 'query' property to be a string, but got ${T(e.payload.query)}`);if(e.payload.variables!=null&&!L(e.payload.variables))throw new Error(`"${e.type}" message payload expects the 'variables' property to be a an object or nullish or missing, but got ${T(e.payload.variables)}`);if(e.payload.operationName!=null&&T(e.payload.operationName)!=="string")throw new Error(`"${e.type}" message payload expects the 'operationName' property to be a string or nullish or missing, but got ${T(e.payload.operationName)}`);if(e.payload.extensions!=null&&!L(e.payload.extensions))throw new Error(`"${e.type}" message payload expects the 'extensions' property to be a an object or nullish or missing, but got ${T(e.payload.extensions)}`);break}case"next":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${T(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!L(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${T(e.payload)}`);break}case"error":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${T(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!ht(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an array of GraphQL errors, but got ${JSON.stringify(e.payload)}`);break}case"complete":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${T(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);break}default:throw new Error(`Invalid message 'type' property "${e.type}"`)}return e}function De(e,t){return Ie(typeof e=="string"?JSON.parse(e,t):e)}function W(e,t){return Ie(e),JSON.stringify(e,t)}function de(e){let{url:t,connectionParams:n,lazy:r=!0,onNonLazyError:i=console.error,lazyCloseTimeout:a=0,keepAlive:h=0,disablePong:m,connectionAckWaitTimeout:M=0,retryAttempts:A=5,retryWait:R=async function(g){let l=Math.pow(2,g);await new Promise(p=>setTimeout(p,l*1e3+Math.floor(Math.random()*2700+300)))},shouldRetry:ut=le,on:w,webSocketImpl:oe,generateID:pt=function(){return"xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g,g=>{let l=Math.random()*16|0;return(g=="x"?l:l&3|8).toString(16)})},jsonMessageReplacer:X,jsonMessageReviver:gt}=e,q;if(oe){if(!vt(oe))throw new Error("Invalid WebSocket implementation provided");q=oe}else typeof WebSocket<"u"?q=WebSocket:typeof global<"u"?q=global.WebSocket||global.MozWebSocket:typeof window<"u"&&(q=window.WebSocket||window.MozWebSocket);if(!q)throw new Error("WebSocket implementation missing; on Node you can `import WebSocket from 'ws';` and pass `webSocketImpl: WebSocket` to `createClient`");let O=q,x=(()=>{let c=(()=>{let l={};return{on(p,b){return l[p]=b,()=>{delete l[p]}},emit(p){"id"in p&&l[p.id]?.(p)}}})(),g={connecting:w?.connecting?[w.connecting]:[],opened:w?.opened?[w.opened]:[],connected:w?.connected?[w.connected]:[],ping:w?.ping?[w.ping]:[],pong:w?.pong?[w.pong]:[],message:w?.message?[c.emit,w.message]:[c.emit],closed:w?.closed?[w.closed]:[],error:w?.error?[w.error]:[]};return{onMessage:c.on,on(l,p){let b=g[l];return b.push(p),()=>{let v=b.indexOf(p);v>-1&&b.splice(v,1)}},emit(l,...p){for(let b of[...g[l]])b(...p)}}})();function se(c){let g=[x.on("error",l=>{g.forEach(p=>p()),c(l)}),x.on("closed",l=>{g.forEach(p=>p()),c(l)})];return()=>g.forEach(l=>l())}let V,$=0,ie,j=!1,Z=0,Ce=!1;async function we(){clearTimeout(ie);let[c,g]=await(V??(V=new Promise((b,v)=>(async()=>{if(j){if(await R(Z),!$)return V=void 0,v({code:1e3,reason:"All Subscriptions Gone"});Z++}x.emit("connecting",j);let u=new O(typeof t=="function"?await t():t,Me),N,H;function ee(){isFinite(h)&&h>0&&(clearTimeout(H),H=setTimeout(()=>{u.readyState===O.OPEN&&(u.send(W({type:D.Ping})),x.emit("ping",!1,void 0))},h))}se(S=>{V=void 0,clearTimeout(N),clearTimeout(H),v(S),S instanceof z&&(u.close(4499,"Terminated"),u.onerror=null,u.onclose=null)}),u.onerror=S=>x.emit("error",S),u.onclose=S=>x.emit("closed",S),u.onopen=async()=>{try{x.emit("opened",u);let S=typeof n=="function"?await n():n;if(u.readyState!==O.OPEN)return;u.send(W(S?{type:D.ConnectionInit,payload:S}:{type:D.ConnectionInit},X)),isFinite(M)&&M>0&&(N=setTimeout(()=>{u.close(I.ConnectionAcknowledgementTimeout,"Connection acknowledgement timeout")},M)),ee()}catch(S){x.emit("error",S),u.close(I.InternalClientError,ae(S instanceof Error?S.message:String(S),"Internal client error"))}};let Q=!1;u.onmessage=({data:S})=>{try{let C=De(S,gt);if(x.emit("message",C),C.type==="ping"||C.type==="pong"){x.emit(C.type,!0,C.payload),C.type==="pong"?ee():m||(u.send(W(C.payload?{type:D.Pong,payload:C.payload}:{type:D.Pong},X)),x.emit("pong",!1,C.payload));return}if(Q)return;if(C.type!==D.ConnectionAck)throw new Error(`First message cannot be of type ${C.type}`);clearTimeout(N),Q=!0,x.emit("connected",u,C.payload,j),j=!1,Z=0;let Te=new Promise((Wt,mt)=>se(mt));Te.catch(()=>{}),b([u,Te])}catch(C){u.onmessage=null,x.emit("error",C),u.close(I.BadResponse,ae(C instanceof Error?C.message:String(C),"Bad response"))}}})())));c.readyState===O.CLOSING&&await g;let l=()=>{},p=new Promise(b=>l=b);return[c,l,new Promise((b,v)=>{let u=se(v);c.readyState!==O.OPEN&&g.catch(v),p.then(()=>{if(u(),!$){let N=()=>c.close(1e3,"Normal Closure");isFinite(a)&&a>0?(clearTimeout(ie),ie=setTimeout(()=>{!$&&c.readyState===O.OPEN&&N()},a)):N()}b()})})]}function xe(c){if(le(c)&&(bt(c.code)||[I.InternalServerError,I.InternalClientError,I.BadRequest,I.BadResponse,I.Unauthorized,I.SubprotocolNotAcceptable,I.SubscriberAlreadyExists,I.TooManyInitialisationRequests].includes(c.code)))throw c;if(Ce)return!1;if(le(c)&&c.code===1e3)return $>0;if(!A||Z>=A||!ut(c))throw c;return j=!0}r||(async()=>{for($++;;)try{let[,,c]=await we();await c}catch(c){try{if(!xe(c))return}catch(g){return i?.(g)}}})();function Se(c,g){let l=pt(c),p=!1,b=!1,v=()=>{$--,p=!0};return(async()=>{for($++;;)try{let[u,N,H]=await we();if(p)return H.catch(()=>{}),N();let ee=x.onMessage(l,Q=>{switch(Q.type){case D.Next:{g.next(Q.payload);return}case D.Error:{b=!0,p=!0,g.error(Q.payload),v();return}case D.Complete:{p=!0,v();return}}});u.send(W({id:l,type:D.Subscribe,payload:c},X)),v=()=>{!p&&u.readyState===O.OPEN&&u.send(W({id:l,type:D.Complete},X)),$--,p=!0,N()},await H.finally(ee);return}catch(u){if(!xe(u))return}})().then(()=>{b||g.complete()}).catch(u=>{g.error(u)}),()=>{p||v()}}return{on:x.on,subscribe:Se,iterate(c){let g=[],l={done:!1,error:null,resolve:()=>{}},p=Se(c,{next(v){g.push(v),l.resolve()},error(v){l.done=!0,l.error=v,l.resolve()},complete(){l.done=!0,l.resolve()}}),b=(async function*(){for(;;){for(g.length||await new Promise(u=>l.resolve=u);g.length;)yield g.shift();if(l.error)throw l.error;if(l.done)return}})();return b.throw=async v=>(l.done||(l.done=!0,l.error=v,l.resolve()),{done:!0,value:void 0}),b.return=async()=>(p(),{done:!0,value:void 0}),b},async dispose(){if(Ce=!0,V){let[c]=await V;c.close(1e3,"Normal Closure")}},terminate(){V&&x.emit("closed",new z)}}}var z=class extends Error{constructor(){super(...arguments);G(this,"name","TerminatedCloseEvent");G(this,"message","4499: Terminated");G(this,"code",4499);G(this,"reason","Terminated");G(this,"wasClean",!1)}};function le(e){return L(e)&&"code"in e&&"reason"in e}function bt(e){return[1e3,1001,1006,1005,1012,1013,1014].includes(e)?!1:e>=1e3&&e<=1999}function vt(e){return typeof e=="function"&&"constructor"in e&&"CLOSED"in e&&"CLOSING"in e&&"CONNECTING"in e&&"OPEN"in e}var ce="convograph.token",P=class extends Error{constructor(n,r){super(n);this.code=r}};function ue(){return localStorage.getItem(ce)??""}function Ae(e){e?localStorage.setItem(ce,e):localStorage.removeItem(ce)}function Pe(){let e=ue().trim();return e?{authorization:/^bearer /i.test(e)?e:`Bearer ${e}`}:{}}var ke=new URL("graphql",document.baseURI);async function E(e,t){let n;try{n=await fetch(ke,{method:"POST",headers:{"content-type":"application/json",...Pe()},body:JSON.stringify({query:e.toString(),variables:t})})}catch{throw new P("The server cannot be reached.","NETWORK")}let r;try{r=await n.json()}catch{throw new P(`The server answered ${n.status} without a GraphQL body.`,null)}let i=r.errors?.[0];if(i)throw new P(i.message,i.extensions?.code??null);if(r.data==null)throw new P("The server sent no data.",null);return r.data}function _(e,t){if(e.__typename!==t)throw new P(e.detail??e.__typename,e.code??null);return e}var J=null,Ne=[];function Fe(e){Ne.push(e)}function _e(e){for(let t of Ne)t(e)}function Et(){if(J===null){let e=new URL(ke);e.protocol=e.protocol==="https:"?"wss:":"ws:",J=de({url:e.toString(),connectionParams:()=>Pe(),retryAttempts:0,lazyCloseTimeout:1e3,on:{connected:()=>_e(!0),closed:()=>_e(!1)}})}return J}function Re(){J?.dispose(),J=null}function pe(e,t,n,r){let i=!1,a=0,h=null,m,M=()=>{if(i)return;let R=Math.min(500*2**Math.min(a,5),15e3);m=window.setTimeout(A,R)},A=()=>{i||(r(a),a+=1,h=Et().subscribe({query:e.toString(),variables:t()},{next:R=>{a=1,R.data&&n(R.data)},error:M,complete:()=>{}}))};return A(),{stop(){i=!0,window.clearTimeout(m),h?.()}}}function d(e,t={},...n){let r=document.createElement(e);for(let[i,a]of Object.entries(t))a===void 0||a===!1||(i.startsWith("on")&&typeof a=="function"?r.addEventListener(i.slice(2),a):i==="class"?r.className=String(a):r.setAttribute(i,a===!0?"":String(a)));return r.append(...n.filter(i=>!!i)),r}function s(e){let t=document.getElementById(e);if(!t)throw new Error(`#${e} is missing from the page`);return t}function $e(e){let t=[];for(let n of e.split("")){let r=n.indexOf("");if(r<0){t.push(document.createTextNode(n));continue}t.push(d("mark",{},n.slice(0,r)),document.createTextNode(n.slice(r+1)))}return t}function te(e,t){let n;return()=>{window.clearTimeout(n),n=window.setTimeout(e,t)}}var f=class extends String{constructor(t,n){super(t),this.value=t,this.__meta__=n}toString(){return this.value}},rn=new f(`
    fragment MessageFields on Message {
  id
  role
  content
  status
  deltaCount
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
    `,{fragmentName:"MessageFields"}),on=new f(`
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
    `,{fragmentName:"BranchFields"}),sn=new f(`
    fragment Problem on UserError {
  code
  detail
  field
}
    `,{fragmentName:"Problem"}),an=new f(`
    fragment ConversationSummary on Conversation {
  id
  title
  createdAt
  updatedAt
  archivedAt
  messageCount
}
    `,{fragmentName:"ConversationSummary"}),Le=new f(`
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
}`),Be=new f(`
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
}`),Oe=new f(`
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
  status
  deltaCount
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
}`),Ve=new f(`
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
}`),Ue=new f(`
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
  status
  deltaCount
  createdAt
  siblingIndex
  siblingCount
  parent {
    id
  }
  editOf {
    id
  }
}`),qe=new f(`
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
    `),He=new f(`
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
}`),Qe=new f(`
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
}`),Ge=new f(`
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
}`),We=new f(`
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
}`),Ke=new f(`
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
}`),je=new f(`
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
}`),ze=new f(`
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
}`),Je=new f(`
    subscription ConversationEvents($conversationId: UUID!, $afterSequence: Int) {
  conversationEvents(
    conversationId: $conversationId
    afterSequence: $afterSequence
  ) {
    sequence
    kind
    messageId
    branchId
    delta
    deltaIndex
  }
}
    `),Ye=new f(`
    subscription ConversationsChanged {
  conversationsChanged {
    kind
    conversationId
  }
}
    `);var U=class e{constructor(t){this.nodes=new Map;this.roots=[];for(let r of t)this.nodes.set(r.id,{id:r.id,role:r.role,content:r.content,parentId:r.parent?.id??null,siblingIndex:r.siblingIndex,children:[]});for(let r of this.nodes.values()){let i=r.parentId?this.nodes.get(r.parentId):void 0;(i?i.children:this.roots).push(r)}let n=(r,i)=>r.siblingIndex-i.siblingIndex;this.roots.sort(n);for(let r of this.nodes.values())r.children.sort(n)}static async read(t){let n=[],r=null;for(;;){let a=(await E(qe,{id:t,first:100,after:r})).conversation?.messagesInTree;if(!a||(n.push(...a.nodes),!a.pageInfo.hasNextPage))break;r=a.pageInfo.endCursor}return new e(n)}siblingsOf(t){let n=this.nodes.get(t);if(!n)return[];let r=n.parentId?this.nodes.get(n.parentId):void 0;return r?r.children:this.roots}pathTo(t){let n=new Set,r=t?this.nodes.get(t):void 0;for(;r&&!n.has(r.id);)n.add(r.id),r=r.parentId?this.nodes.get(r.parentId):void 0;return n}branchThrough(t,n){let r=null;for(let i of n)!i.tip||!this.pathTo(i.tip.id).has(t)||(!r||i.updatedAt>r.updatedAt)&&(r=i);return r}};var st=30,Xe=30,o={conversationId:null,view:null,tree:null,showTree:!1,replyTo:null,editing:null,draft:"",listCursor:null,lastSequence:null,loadingEarlier:!1},K=null,Ze=null;function B(e){s("status").textContent=e}function Ct(e){if(e instanceof P&&e.code==="UNAUTHENTICATED"){s("token-panel").open=!0,B(`This server needs a token: ${e.message}`);return}B(e instanceof Error?e.message:String(e))}async function y(e){try{await e()}catch(t){Ct(t)}}function wt(){let e=s("archive-filter").value;return e==="all"?null:e==="archived"}function ye(e){return e.title||"Untitled conversation"}function Y(e,t){return`${e} ${t}${e===1?"":"s"}`}function xt(e){return new Date(e).toLocaleString(void 0,{dateStyle:"medium",timeStyle:"short"})}function et(e,t){let n=e.id===o.conversationId;return d("li",{},d("a",{href:`#/c/${e.id}`,class:n?"conversation current":"conversation","aria-current":n?"page":void 0},d("span",{class:"title"},ye(e)),...t??[],d("span",{class:"when"},`${Y(e.messageCount,"message")} \xB7 ${xt(e.createdAt)}`,e.archivedAt?" \xB7 archived":"")))}async function me(e=!1){let t=s("search").value.trim(),n=s("conversation-list"),r=s("list-more");if(t){let h=await E(Be,{query:t,first:Xe}),m=h.searchMessages.nodes.map(M=>et(M.conversation,[d("span",{class:"snippet"},...$e(M.snippet))]));for(let[M,A]of h.searchMessages.nodes.entries())m[M].querySelector("a")?.addEventListener("click",R=>{R.preventDefault(),y(()=>St(A.conversation.id,A.branches.nodes[0]?.id??null))});n.replaceChildren(...m),m.length||n.append(d("li",{class:"empty"},"No message matches.")),r.hidden=!0;return}let i=await E(Le,{filter:{archived:wt()},first:Xe,after:e?o.listCursor:null}),a=i.conversations.nodes.map(h=>et(h));e?n.append(...a):n.replaceChildren(...a),n.children.length||n.append(d("li",{class:"empty"},"No conversations yet.")),o.listCursor=i.conversations.pageInfo.endCursor,r.hidden=!i.conversations.pageInfo.hasNextPage}var F=te(()=>{y(()=>me())},150);async function St(e,t){if(t){let n=await E(ge,{input:{conversationId:e,branchId:t}});_(n.setCurrentBranch,"SetCurrentBranchSuccess")}location.hash===`#/c/${e}`?await he(e):location.hash=`#/c/${e}`}async function Tt(e,t){let r=(await E(Oe,{id:e,last:Math.min(Math.max(t,st),100)})).conversation;if(!r)return null;let i=[...r.branches.nodes],a=r.branches.pageInfo;for(;a.hasNextPage&&a.endCursor;){let h=await E(Ve,{id:e,after:a.endCursor});if(!h.conversation)break;i.push(...h.conversation.branches.nodes),a=h.conversation.branches.pageInfo}return{conversation:r,branch:r.currentBranch,branches:i,messages:r.messages.nodes,earlierCursor:r.messages.pageInfo.hasPreviousPage?r.messages.pageInfo.startCursor:null}}async function he(e){if(e!==o.conversationId&&(K?.stop(),K=null,delete s("conversation").dataset.sequence,Object.assign(o,{conversationId:e,view:null,tree:null,replyTo:null,editing:null,lastSequence:null})),document.body.classList.toggle("reading",e!==null),e===null){ve();return}await k({scrollToEnd:!0}),o.view&&!K&&It(e),F()}async function k(e={}){let t=o.conversationId;if(!t)return;let n=s("messages"),r=n.scrollHeight-n.scrollTop-n.clientHeight<80,i=o.view?.messages.length??0,a=await Tt(t,i);t===o.conversationId&&(a&&o.view&&a.branch.id!==o.view.branch.id&&(o.replyTo=null),o.view=a,a||B("This conversation does not exist, or you may not see it."),o.showTree&&a&&(o.tree=await U.read(t)),ve(),(e.scrollToEnd||r)&&(n.scrollTop=n.scrollHeight))}var fe=0,Mt=te(()=>{let e=fe;y(()=>k()).finally(()=>{e===fe&&s("messages").removeAttribute("aria-busy")})},100);function it(){fe+=1,s("messages").setAttribute("aria-busy","true"),Mt()}async function tt(){let e=o.view;if(!(!e||!e.earlierCursor||o.loadingEarlier)){o.loadingEarlier=!0;try{let n=(await E(Ue,{id:e.conversation.id,branchId:e.branch.id,last:st,before:e.earlierCursor})).conversation?.messages;if(!n||o.view!==e)return;let r=s("messages"),i=r.scrollHeight-r.scrollTop;e.messages=[...n.nodes,...e.messages],e.earlierCursor=n.pageInfo.hasPreviousPage?n.pageInfo.startCursor:null,re(),r.scrollTop=r.scrollHeight-i}finally{o.loadingEarlier=!1}}}function It(e){K=pe(Je,()=>({conversationId:e,afterSequence:o.lastSequence}),t=>Dt(t.conversationEvents),t=>{t>0&&o.lastSequence===null&&it()})}function Dt(e){let{sequence:t,kind:n}=e;if(o.lastSequence=Math.max(o.lastSequence??0,t),s("conversation").dataset.sequence=String(o.lastSequence),n!=="LIVE"&&!(n==="MESSAGE_CONTENT_APPENDED"&&_t(e))){if(n==="CONVERSATION_DELETED"){B("This conversation was deleted."),location.hash="";return}o.tree=null,it(),F()}}function _t(e){let t=o.view?.messages.find(r=>r.id===e.messageId);if(!t||e.delta==null||e.deltaIndex==null)return!1;if(e.deltaIndex<t.deltaCount)return!0;if(e.deltaIndex>t.deltaCount)return!1;t.content+=e.delta,t.deltaCount+=1;let n=document.querySelector(`[data-content-of="${t.id}"]`);return n&&(n.textContent=t.content),!0}function At(e){let t=s("live");t.textContent=e?"Live":"Reconnecting\u2026",t.className=e?"live on":"live off"}function be(e,t){return e.name||`Branch ${t.indexOf(e)+1}`}function ve(){let e=o.view;if(s("conversation").hidden=!e,s("empty-state").hidden=!!e,!e)return;s("conversation-title").textContent=ye(e.conversation),s("archive").textContent=e.conversation.archivedAt?"Unarchive":"Archive",s("branch-select").replaceChildren(...e.branches.map(n=>d("option",{value:n.id,selected:n.id===e.branch.id},`${be(n,e.branches)} \xB7 ${Y(n.messageCount,"message")}`))),s("delete-branch").disabled=e.branches.length<2,s("tree-toggle").setAttribute("aria-expanded",String(o.showTree)),re(),Ee(),lt()}function re(){let e=o.view;if(!e)return;let t=s("message-list");t.replaceChildren(...e.messages.map(Pt)),s("earlier").hidden=!e.earlierCursor,e.messages.length||t.append(d("li",{class:"empty"},"No messages yet: write the first below."))}var at={USER:"User",ASSISTANT:"Assistant",SYSTEM:"System",DEVELOPER:"Developer",TOOL:"Tool",FUNCTION:"Function"};function Pt(e){let t=o.editing===e.id,n=e.siblingCount>1?d("span",{class:"switcher",role:"group","aria-label":"Versions of this message"},d("button",{type:"button","aria-label":"Previous version",disabled:e.siblingIndex===0,onclick:()=>{y(()=>nt(e,-1))}},"\u2039"),d("span",{class:"position"},`${e.siblingIndex+1} / ${e.siblingCount}`),d("button",{type:"button","aria-label":"Next version",disabled:e.siblingIndex+1>=e.siblingCount,onclick:()=>{y(()=>nt(e,1))}},"\u203A")):null,r=document.querySelector(`form.edit[data-edit-of="${e.id}"]`),i=t?r??kt(e):d("div",{class:"content","data-content-of":e.id,"aria-busy":e.status==="IN_PROGRESS"?"true":void 0},e.content),a=t?null:d("div",{class:"actions"},d("button",{type:"button",onclick:()=>Nt(e)},"Edit"),d("button",{type:"button",onclick:()=>$t(e)},"Reply"),d("button",{type:"button",class:"danger",onclick:()=>{y(()=>Lt(e))}},"Delete"));return d("li",{class:`message role-${e.role.toLowerCase()}`,"data-message-id":e.id},d("div",{class:"meta"},d("span",{class:"role"},at[e.role]??e.role),e.editOf?d("span",{class:"edited"},"edited"):null,e.status==="IN_PROGRESS"?d("span",{class:"status"},"writing\u2026"):null,e.status==="FAILED"?d("span",{class:"status failed"},"incomplete"):null,n),i,a)}function kt(e){let t=d("textarea",{"aria-label":"Edited message",rows:3});return t.value=o.draft,t.addEventListener("input",()=>{o.draft=t.value}),queueMicrotask(()=>t.focus()),d("form",{class:"edit","data-edit-of":e.id,onsubmit:n=>{n.preventDefault(),y(()=>Rt(e,t.value))}},t,d("div",{class:"actions"},d("button",{type:"submit"},"Save as new version"),d("button",{type:"button",onclick:Ft},"Cancel")))}function Ee(){let e=s("reply-note"),t=o.replyTo;e.hidden=!t,s("reply-text").textContent=t?t.content.slice(0,80):""}function lt(){let e=s("tree");e.hidden=!o.showTree;let t=o.view;if(!o.showTree||!t)return;let n=o.tree,r=s("tree-body");if(!n){r.replaceChildren(d("p",{},"Reading the tree\u2026")),y(async()=>{o.tree=await U.read(t.conversation.id),lt()});return}let i=n.pathTo(t.branch.tip?.id),a=new Map;for(let m of t.branches)m.tip&&a.set(m.tip.id,[...a.get(m.tip.id)??[],be(m,t.branches)]);let h=m=>{let M=i.has(m.id),A=a.get(m.id);return d("li",{},d("button",{type:"button",class:M?"node on-branch":"node","data-tree-node":m.id,"aria-current":M?"true":void 0,onclick:()=>{y(()=>dt(m.id))}},d("span",{class:"role"},at[m.role]??m.role)," ",m.content.slice(0,70)||"(empty)",A?d("span",{class:"tip"},A.join(", ")):null),m.children.length?d("ul",{},...m.children.map(h)):null)};r.replaceChildren(d("p",{class:"legend"},`${Y(n.nodes.size,"message")}; the current branch is highlighted.`),d("ul",{class:"tree-root"},...n.roots.map(h)))}async function nt(e,t){let n=o.view;if(!n)return;let i=(o.tree??(o.tree=await U.read(n.conversation.id))).siblingsOf(e.id)[e.siblingIndex+t];i&&await dt(i.id)}async function dt(e){let t=o.view;if(!t)return;let r=(o.tree??(o.tree=await U.read(t.conversation.id))).branchThrough(e,t.branches);if(!r)throw new P("No branch holds that message any more.",null);await ct(r.id)}async function ct(e){let t=o.view;if(!t)return;let n=await E(ge,{input:{conversationId:t.conversation.id,branchId:e}});_(n.setCurrentBranch,"SetCurrentBranchSuccess"),await k({scrollToEnd:!0})}function Nt(e){o.editing=e.id,o.draft=e.content,re()}function Ft(){o.editing=null,re()}async function Rt(e,t){let n=await E(Ge,{input:{messageId:e.id,message:{role:e.role,content:t}}});_(n.updateMessage,"UpdateMessageSuccess"),o.editing=null,o.tree=null,await k({scrollToEnd:!0}),B("Saved as a new version; the original stays reachable with \u2039 \u203A.")}function $t(e){o.replyTo=e,Ee(),s("composer-text").focus()}async function Lt(e){if(!confirm("Delete this message and every reply under it?"))return;let t=await E(We,{input:{messageId:e.id}}),n=_(t.deleteMessage,"DeleteMessageSuccess");o.tree=null,await k(),B(`Deleted ${Y(n.deletedMessageCount,"message")}.`)}async function Bt(e){e.preventDefault();let t=o.view,n=s("composer-text");if(!t||!n.value.trim())return;let r=s("composer-role").value,i=n.value,a=o.replyTo?{parentId:o.replyTo.id}:{branchId:t.branch.id},h=await E(Qe,{input:{conversationId:t.conversation.id,message:{role:r,content:i},...a}});_(h.addMessage,"AddMessageSuccess"),n.value="",o.replyTo=null,t.conversation.title||await E(ne,{input:{conversationId:t.conversation.id,title:i.trim().slice(0,60)}}),o.tree=null,await k({scrollToEnd:!0})}async function Ot(){let e=await E(He,{input:{}}),t=_(e.createConversation,"CreateConversationSuccess");location.hash=`#/c/${t.conversation.id}`,s("composer-text").focus()}async function Vt(){let e=o.view;if(!e)return;let t=prompt("Title of the conversation",e.conversation.title??"");if(t===null)return;let n=await E(ne,{input:{conversationId:e.conversation.id,title:t.trim()||null}});_(n.updateConversation,"UpdateConversationSuccess"),await k(),F()}async function Ut(){let e=o.view;if(!e)return;let t=await E(ne,{input:{conversationId:e.conversation.id,archived:!e.conversation.archivedAt}});_(t.updateConversation,"UpdateConversationSuccess"),await k(),F()}async function qt(){let e=o.view;if(!e||!confirm(`Delete \u201C${ye(e.conversation)}\u201D with every message?`))return;let t=await E(ze,{input:{conversationId:e.conversation.id}});_(t.deleteConversation,"DeleteConversationSuccess"),location.hash="",F()}async function Ht(){let e=o.view;if(!e)return;let t=prompt("Name of this branch (empty: no name)",e.branch.name??"");if(t===null)return;let n=await E(je,{input:{branchId:e.branch.id,name:t.trim()||null}});_(n.renameBranch,"RenameBranchSuccess"),await k()}async function Qt(){let e=o.view;if(!e)return;let t=be(e.branch,e.branches);if(!confirm(`Delete ${t} and the messages no other branch holds?`))return;let n=await E(Ke,{input:{branchId:e.branch.id}}),r=_(n.deleteBranch,"DeleteBranchSuccess");o.tree=null,await k({scrollToEnd:!0}),B(`Deleted ${t} (${Y(r.deletedMessageCount,"message")}).`)}function rt(){let e=/^#\/c\/([0-9a-f-]{36})$/i.exec(location.hash);y(()=>he(e?e[1]:null))}function ot(){Ze?.stop();let e=!1;Ze=pe(Ye,()=>({}),t=>{(t.conversationsChanged.kind!=="LIVE"||e)&&F()},t=>{e=t>0})}function Gt(){s("new-conversation").addEventListener("click",()=>{y(Ot)}),s("search").addEventListener("input",te(F,250)),s("archive-filter").addEventListener("change",F),s("list-more").addEventListener("click",()=>{y(()=>me(!0))}),s("composer").addEventListener("submit",t=>{y(()=>Bt(t))}),s("composer-text").addEventListener("keydown",t=>{let n=t;n.key==="Enter"&&(n.ctrlKey||n.metaKey)&&s("composer").requestSubmit()}),s("cancel-reply").addEventListener("click",()=>{o.replyTo=null,Ee()}),s("rename-conversation").addEventListener("click",()=>{y(Vt)}),s("archive").addEventListener("click",()=>{y(Ut)}),s("delete-conversation").addEventListener("click",()=>{y(qt)}),s("rename-branch").addEventListener("click",()=>{y(Ht)}),s("delete-branch").addEventListener("click",()=>{y(Qt)}),s("branch-select").addEventListener("change",t=>{y(()=>ct(t.target.value))}),s("tree-toggle").addEventListener("click",()=>{o.showTree=!o.showTree,ve()}),s("back").addEventListener("click",()=>{location.hash=""}),s("earlier").addEventListener("click",()=>{y(tt)}),new IntersectionObserver(t=>{t.some(n=>n.isIntersecting)&&y(tt)}).observe(s("earlier"));let e=s("token");e.value=ue(),s("token-form").addEventListener("submit",t=>{t.preventDefault(),Ae(e.value.trim()),Re(),s("token-panel").open=!1,B(e.value?"Token saved.":"Token removed."),K?.stop(),K=null,ot();let n=o.conversationId;o.conversationId=null,y(()=>he(n)),F()}),window.addEventListener("hashchange",rt),Fe(At),ot(),rt(),y(async()=>{await me(),performance.mark("convograph:interactive")})}Gt();
