var fn=Object.defineProperty;var yn=(e,n,t)=>n in e?fn(e,n,{enumerable:!0,configurable:!0,writable:!0,value:t}):e[n]=t;var W=(e,n,t)=>yn(e,typeof n!="symbol"?n+"":n,t);function S(e){return e===null?"null":Array.isArray(e)?"array":typeof e}function B(e){return S(e)==="object"}function hn(e){return Array.isArray(e)&&e.length>0&&e.every(n=>"message"in n)}function ae(e,n){return e.length<124?e:n}var Se="graphql-transport-ws";var I=(e=>(e[e.InternalServerError=4500]="InternalServerError",e[e.InternalClientError=4005]="InternalClientError",e[e.BadRequest=4400]="BadRequest",e[e.BadResponse=4004]="BadResponse",e[e.Unauthorized=4401]="Unauthorized",e[e.Forbidden=4403]="Forbidden",e[e.SubprotocolNotAcceptable=4406]="SubprotocolNotAcceptable",e[e.ConnectionInitialisationTimeout=4408]="ConnectionInitialisationTimeout",e[e.ConnectionAcknowledgementTimeout=4504]="ConnectionAcknowledgementTimeout",e[e.SubscriberAlreadyExists=4409]="SubscriberAlreadyExists",e[e.TooManyInitialisationRequests=4429]="TooManyInitialisationRequests",e))(I||{}),D=(e=>(e.ConnectionInit="connection_init",e.ConnectionAck="connection_ack",e.Ping="ping",e.Pong="pong",e.Subscribe="subscribe",e.Next="next",e.Error="error",e.Complete="complete",e))(D||{});function Me(e){if(!B(e))throw new Error(`Message is expected to be an object, but got ${S(e)}`);if(!e.type)throw new Error("Message is missing the 'type' property");if(typeof e.type!="string")throw new Error(`Message is expects the 'type' property to be a string, but got ${S(e.type)}`);switch(e.type){case"connection_init":case"connection_ack":case"ping":case"pong":{if(e.payload!=null&&!B(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object or nullish or missing, but got "${e.payload}"`);break}case"subscribe":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${S(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!B(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${S(e.payload)}`);if(typeof e.payload.query!="string")throw new Error(`"${e.type}" message payload expects the 'query' property to be a string, but got ${S(e.payload.query)}`);if(e.payload.variables!=null&&!B(e.payload.variables))throw new Error(`"${e.type}" message payload expects the 'variables' property to be a an object or nullish or missing, but got ${S(e.payload.variables)}`);if(e.payload.operationName!=null&&S(e.payload.operationName)!=="string")throw new Error(`"${e.type}" message payload expects the 'operationName' property to be a string or nullish or missing, but got ${S(e.payload.operationName)}`);if(e.payload.extensions!=null&&!B(e.payload.extensions))throw new Error(`"${e.type}" message payload expects the 'extensions' property to be a an object or nullish or missing, but got ${S(e.payload.extensions)}`);break}case"next":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${S(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!B(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${S(e.payload)}`);break}case"error":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${S(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!hn(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an array of GraphQL errors, but got ${JSON.stringify(e.payload)}`);break}case"complete":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${S(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);break}default:throw new Error(`Invalid message 'type' property "${e.type}"`)}return e}function Ie(e,n){return Me(typeof e=="string"?JSON.parse(e,n):e)}function G(e,n){return Me(e),JSON.stringify(e,n)}function ce(e){let{url:n,connectionParams:t,lazy:r=!0,onNonLazyError:s=console.error,lazyCloseTimeout:a=0,keepAlive:h=0,disablePong:m,connectionAckWaitTimeout:M=0,retryAttempts:A=5,retryWait:$=async function(g){let l=Math.pow(2,g);await new Promise(p=>setTimeout(p,l*1e3+Math.floor(Math.random()*2700+300)))},shouldRetry:un=le,on:w,webSocketImpl:oe,generateID:pn=function(){return"xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g,g=>{let l=Math.random()*16|0;return(g=="x"?l:l&3|8).toString(16)})},jsonMessageReplacer:X,jsonMessageReviver:gn}=e,q;if(oe){if(!bn(oe))throw new Error("Invalid WebSocket implementation provided");q=oe}else typeof WebSocket<"u"?q=WebSocket:typeof global<"u"?q=global.WebSocket||global.MozWebSocket:typeof window<"u"&&(q=window.WebSocket||window.MozWebSocket);if(!q)throw new Error("WebSocket implementation missing; on Node you can `import WebSocket from 'ws';` and pass `webSocketImpl: WebSocket` to `createClient`");let O=q,x=(()=>{let d=(()=>{let l={};return{on(p,v){return l[p]=v,()=>{delete l[p]}},emit(p){"id"in p&&l[p.id]?.(p)}}})(),g={connecting:w?.connecting?[w.connecting]:[],opened:w?.opened?[w.opened]:[],connected:w?.connected?[w.connected]:[],ping:w?.ping?[w.ping]:[],pong:w?.pong?[w.pong]:[],message:w?.message?[d.emit,w.message]:[d.emit],closed:w?.closed?[w.closed]:[],error:w?.error?[w.error]:[]};return{onMessage:d.on,on(l,p){let v=g[l];return v.push(p),()=>{let b=v.indexOf(p);b>-1&&v.splice(b,1)}},emit(l,...p){for(let v of[...g[l]])v(...p)}}})();function ie(d){let g=[x.on("error",l=>{g.forEach(p=>p()),d(l)}),x.on("closed",l=>{g.forEach(p=>p()),d(l)})];return()=>g.forEach(l=>l())}let V,R=0,se,j=!1,Z=0,Ee=!1;async function Ce(){clearTimeout(se);let[d,g]=await(V??(V=new Promise((v,b)=>(async()=>{if(j){if(await $(Z),!R)return V=void 0,b({code:1e3,reason:"All Subscriptions Gone"});Z++}x.emit("connecting",j);let u=new O(typeof n=="function"?await n():n,Se),F,H;function ee(){isFinite(h)&&h>0&&(clearTimeout(H),H=setTimeout(()=>{u.readyState===O.OPEN&&(u.send(G({type:D.Ping})),x.emit("ping",!1,void 0))},h))}ie(T=>{V=void 0,clearTimeout(F),clearTimeout(H),b(T),T instanceof z&&(u.close(4499,"Terminated"),u.onerror=null,u.onclose=null)}),u.onerror=T=>x.emit("error",T),u.onclose=T=>x.emit("closed",T),u.onopen=async()=>{try{x.emit("opened",u);let T=typeof t=="function"?await t():t;if(u.readyState!==O.OPEN)return;u.send(G(T?{type:D.ConnectionInit,payload:T}:{type:D.ConnectionInit},X)),isFinite(M)&&M>0&&(F=setTimeout(()=>{u.close(I.ConnectionAcknowledgementTimeout,"Connection acknowledgement timeout")},M)),ee()}catch(T){x.emit("error",T),u.close(I.InternalClientError,ae(T instanceof Error?T.message:String(T),"Internal client error"))}};let Q=!1;u.onmessage=({data:T})=>{try{let C=Ie(T,gn);if(x.emit("message",C),C.type==="ping"||C.type==="pong"){x.emit(C.type,!0,C.payload),C.type==="pong"?ee():m||(u.send(G(C.payload?{type:D.Pong,payload:C.payload}:{type:D.Pong},X)),x.emit("pong",!1,C.payload));return}if(Q)return;if(C.type!==D.ConnectionAck)throw new Error(`First message cannot be of type ${C.type}`);clearTimeout(F),Q=!0,x.emit("connected",u,C.payload,j),j=!1,Z=0;let Te=new Promise((Qn,mn)=>ie(mn));Te.catch(()=>{}),v([u,Te])}catch(C){u.onmessage=null,x.emit("error",C),u.close(I.BadResponse,ae(C instanceof Error?C.message:String(C),"Bad response"))}}})())));d.readyState===O.CLOSING&&await g;let l=()=>{},p=new Promise(v=>l=v);return[d,l,new Promise((v,b)=>{let u=ie(b);d.readyState!==O.OPEN&&g.catch(b),p.then(()=>{if(u(),!R){let F=()=>d.close(1e3,"Normal Closure");isFinite(a)&&a>0?(clearTimeout(se),se=setTimeout(()=>{!R&&d.readyState===O.OPEN&&F()},a)):F()}v()})})]}function we(d){if(le(d)&&(vn(d.code)||[I.InternalServerError,I.InternalClientError,I.BadRequest,I.BadResponse,I.Unauthorized,I.SubprotocolNotAcceptable,I.SubscriberAlreadyExists,I.TooManyInitialisationRequests].includes(d.code)))throw d;if(Ee)return!1;if(le(d)&&d.code===1e3)return R>0;if(!A||Z>=A||!un(d))throw d;return j=!0}r||(async()=>{for(R++;;)try{let[,,d]=await Ce();await d}catch(d){try{if(!we(d))return}catch(g){return s?.(g)}}})();function xe(d,g){let l=pn(d),p=!1,v=!1,b=()=>{R--,p=!0};return(async()=>{for(R++;;)try{let[u,F,H]=await Ce();if(p)return H.catch(()=>{}),F();let ee=x.onMessage(l,Q=>{switch(Q.type){case D.Next:{g.next(Q.payload);return}case D.Error:{v=!0,p=!0,g.error(Q.payload),b();return}case D.Complete:{p=!0,b();return}}});u.send(G({id:l,type:D.Subscribe,payload:d},X)),b=()=>{!p&&u.readyState===O.OPEN&&u.send(G({id:l,type:D.Complete},X)),R--,p=!0,F()},await H.finally(ee);return}catch(u){if(!we(u))return}})().then(()=>{v||g.complete()}).catch(u=>{g.error(u)}),()=>{p||b()}}return{on:x.on,subscribe:xe,iterate(d){let g=[],l={done:!1,error:null,resolve:()=>{}},p=xe(d,{next(b){g.push(b),l.resolve()},error(b){l.done=!0,l.error=b,l.resolve()},complete(){l.done=!0,l.resolve()}}),v=(async function*(){for(;;){for(g.length||await new Promise(u=>l.resolve=u);g.length;)yield g.shift();if(l.error)throw l.error;if(l.done)return}})();return v.throw=async b=>(l.done||(l.done=!0,l.error=b,l.resolve()),{done:!0,value:void 0}),v.return=async()=>(p(),{done:!0,value:void 0}),v},async dispose(){if(Ee=!0,V){let[d]=await V;d.close(1e3,"Normal Closure")}},terminate(){V&&x.emit("closed",new z)}}}var z=class extends Error{constructor(){super(...arguments);W(this,"name","TerminatedCloseEvent");W(this,"message","4499: Terminated");W(this,"code",4499);W(this,"reason","Terminated");W(this,"wasClean",!1)}};function le(e){return B(e)&&"code"in e&&"reason"in e}function vn(e){return[1e3,1001,1006,1005,1012,1013,1014].includes(e)?!1:e>=1e3&&e<=1999}function bn(e){return typeof e=="function"&&"constructor"in e&&"CLOSED"in e&&"CLOSING"in e&&"CONNECTING"in e&&"OPEN"in e}var de="convograph.token",P=class extends Error{constructor(t,r){super(t);this.code=r}};function ue(){return localStorage.getItem(de)??""}function _e(e){e?localStorage.setItem(de,e):localStorage.removeItem(de)}function Ae(){let e=ue().trim();return e?{authorization:/^bearer /i.test(e)?e:`Bearer ${e}`}:{}}var Pe=new URL("graphql",document.baseURI);async function E(e,n){let t;try{t=await fetch(Pe,{method:"POST",headers:{"content-type":"application/json",...Ae()},body:JSON.stringify({query:e.toString(),variables:n})})}catch{throw new P("The server cannot be reached.","NETWORK")}let r;try{r=await t.json()}catch{throw new P(`The server answered ${t.status} without a GraphQL body.`,null)}let s=r.errors?.[0];if(s)throw new P(s.message,s.extensions?.code??null);if(r.data==null)throw new P("The server sent no data.",null);return r.data}function _(e,n){if(e.__typename!==n)throw new P(e.detail??e.__typename,e.code??null);return e}var J=null,ke=[];function Ne(e){ke.push(e)}function De(e){for(let n of ke)n(e)}function En(){if(J===null){let e=new URL(Pe);e.protocol=e.protocol==="https:"?"wss:":"ws:",J=ce({url:e.toString(),connectionParams:()=>Ae(),retryAttempts:0,lazyCloseTimeout:1e3,on:{connected:()=>De(!0),closed:()=>De(!1)}})}return J}function Fe(){J?.dispose(),J=null}function pe(e,n,t,r){let s=!1,a=0,h=null,m,M=()=>{if(s)return;let $=Math.min(500*2**Math.min(a,5),15e3);m=window.setTimeout(A,$)},A=()=>{s||(r(a),a+=1,h=En().subscribe({query:e.toString(),variables:n()},{next:$=>{a=1,$.data&&t($.data)},error:M,complete:()=>{}}))};return A(),{stop(){s=!0,window.clearTimeout(m),h?.()}}}function c(e,n={},...t){let r=document.createElement(e);for(let[s,a]of Object.entries(n))a===void 0||a===!1||(s.startsWith("on")&&typeof a=="function"?r.addEventListener(s.slice(2),a):s==="class"?r.className=String(a):r.setAttribute(s,a===!0?"":String(a)));return r.append(...t.filter(s=>!!s)),r}function i(e){let n=document.getElementById(e);if(!n)throw new Error(`#${e} is missing from the page`);return n}function $e(e){let n=[];for(let t of e.split("")){let r=t.indexOf("");if(r<0){n.push(document.createTextNode(t));continue}n.push(c("mark",{},t.slice(0,r)),document.createTextNode(t.slice(r+1)))}return n}function ne(e,n){let t;return()=>{window.clearTimeout(t),t=window.setTimeout(e,n)}}var f=class extends String{constructor(n,t){super(n),this.value=n,this.__meta__=t}toString(){return this.value}},nt=new f(`
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
    `,{fragmentName:"MessageFields"}),tt=new f(`
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
    `,{fragmentName:"BranchFields"}),rt=new f(`
    fragment Problem on UserError {
  code
  detail
  field
}
    `,{fragmentName:"Problem"}),ot=new f(`
    fragment ConversationSummary on Conversation {
  id
  title
  createdAt
  updatedAt
  archivedAt
  messageCount
}
    `,{fragmentName:"ConversationSummary"}),Re=new f(`
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
}`),Le=new f(`
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
}`),Oe=new f(`
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
}`),Ve=new f(`
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
}`),Ue=new f(`
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
    `),qe=new f(`
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
}`),He=new f(`
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
}`),Qe=new f(`
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
}`),Ge=new f(`
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
}`),Ke=new f(`
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
}`),te=new f(`
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
}`),je=new f(`
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
}`),ze=new f(`
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
    `),Je=new f(`
    subscription ConversationsChanged {
  conversationsChanged {
    kind
    conversationId
  }
}
    `);var U=class e{constructor(n){this.nodes=new Map;this.roots=[];for(let r of n)this.nodes.set(r.id,{id:r.id,role:r.role,content:r.content,parentId:r.parent?.id??null,siblingIndex:r.siblingIndex,children:[]});for(let r of this.nodes.values()){let s=r.parentId?this.nodes.get(r.parentId):void 0;(s?s.children:this.roots).push(r)}let t=(r,s)=>r.siblingIndex-s.siblingIndex;this.roots.sort(t);for(let r of this.nodes.values())r.children.sort(t)}static async read(n){let t=[],r=null;for(;;){let a=(await E(Ue,{id:n,first:100,after:r})).conversation?.messagesInTree;if(!a||(t.push(...a.nodes),!a.pageInfo.hasNextPage))break;r=a.pageInfo.endCursor}return new e(t)}siblingsOf(n){let t=this.nodes.get(n);if(!t)return[];let r=t.parentId?this.nodes.get(t.parentId):void 0;return r?r.children:this.roots}pathTo(n){let t=new Set,r=n?this.nodes.get(n):void 0;for(;r&&!t.has(r.id);)t.add(r.id),r=r.parentId?this.nodes.get(r.parentId):void 0;return t}branchThrough(n,t){let r=null;for(let s of t)!s.tip||!this.pathTo(s.tip.id).has(n)||(!r||s.updatedAt>r.updatedAt)&&(r=s);return r}};var on=30,Ye=30,o={conversationId:null,view:null,tree:null,showTree:!1,replyTo:null,editing:null,draft:"",listCursor:null,lastSequence:null,loadingEarlier:!1},K=null,Xe=null;function L(e){i("status").textContent=e}function Cn(e){if(e instanceof P&&e.code==="UNAUTHENTICATED"){i("token-panel").open=!0,L(`This server needs a token: ${e.message}`);return}L(e instanceof Error?e.message:String(e))}async function y(e){try{await e()}catch(n){Cn(n)}}function wn(){let e=i("archive-filter").value;return e==="all"?null:e==="archived"}function fe(e){return e.title||"Untitled conversation"}function Y(e,n){return`${e} ${n}${e===1?"":"s"}`}function xn(e){return new Date(e).toLocaleString(void 0,{dateStyle:"medium",timeStyle:"short"})}function Ze(e,n){let t=e.id===o.conversationId;return c("li",{},c("a",{href:`#/c/${e.id}`,class:t?"conversation current":"conversation","aria-current":t?"page":void 0},c("span",{class:"title"},fe(e)),...n??[],c("span",{class:"when"},`${Y(e.messageCount,"message")} \xB7 ${xn(e.createdAt)}`,e.archivedAt?" \xB7 archived":"")))}async function me(e=!1){let n=i("search").value.trim(),t=i("conversation-list"),r=i("list-more");if(n){let h=await E(Be,{query:n,first:Ye}),m=h.searchMessages.nodes.map(M=>Ze(M.conversation,[c("span",{class:"snippet"},...$e(M.snippet))]));for(let[M,A]of h.searchMessages.nodes.entries())m[M].querySelector("a")?.addEventListener("click",$=>{$.preventDefault(),y(()=>Tn(A.conversation.id,A.branches.nodes[0]?.id??null))});t.replaceChildren(...m),m.length||t.append(c("li",{class:"empty"},"No message matches.")),r.hidden=!0;return}let s=await E(Re,{filter:{archived:wn()},first:Ye,after:e?o.listCursor:null}),a=s.conversations.nodes.map(h=>Ze(h));e?t.append(...a):t.replaceChildren(...a),t.children.length||t.append(c("li",{class:"empty"},"No conversations yet.")),o.listCursor=s.conversations.pageInfo.endCursor,r.hidden=!s.conversations.pageInfo.hasNextPage}var k=ne(()=>{y(()=>me())},150);async function Tn(e,n){if(n){let t=await E(ge,{input:{conversationId:e,branchId:n}});_(t.setCurrentBranch,"SetCurrentBranchSuccess")}location.hash===`#/c/${e}`?await ye(e):location.hash=`#/c/${e}`}async function Sn(e,n){let r=(await E(Le,{id:e,last:Math.min(Math.max(n,on),100)})).conversation;if(!r)return null;let s=[...r.branches.nodes],a=r.branches.pageInfo;for(;a.hasNextPage&&a.endCursor;){let h=await E(Oe,{id:e,after:a.endCursor});if(!h.conversation)break;s.push(...h.conversation.branches.nodes),a=h.conversation.branches.pageInfo}return{conversation:r,branch:r.currentBranch,branches:s,messages:r.messages.nodes,earlierCursor:r.messages.pageInfo.hasPreviousPage?r.messages.pageInfo.startCursor:null}}async function ye(e){if(e!==o.conversationId&&(K?.stop(),K=null,delete i("conversation").dataset.sequence,Object.assign(o,{conversationId:e,view:null,tree:null,replyTo:null,editing:null,lastSequence:null})),document.body.classList.toggle("reading",e!==null),e===null){ve();return}await N({scrollToEnd:!0}),o.view&&!K&&Mn(e),k()}async function N(e={}){let n=o.conversationId;if(!n)return;let t=i("messages"),r=t.scrollHeight-t.scrollTop-t.clientHeight<80,s=o.view?.messages.length??0,a=await Sn(n,s);n===o.conversationId&&(a&&o.view&&a.branch.id!==o.view.branch.id&&(o.replyTo=null),o.view=a,a||L("This conversation does not exist, or you may not see it."),o.showTree&&a&&(o.tree=await U.read(n)),ve(),(e.scrollToEnd||r)&&(t.scrollTop=t.scrollHeight))}var sn=ne(()=>{y(()=>N())},100);async function en(){let e=o.view;if(!(!e||!e.earlierCursor||o.loadingEarlier)){o.loadingEarlier=!0;try{let t=(await E(Ve,{id:e.conversation.id,branchId:e.branch.id,last:on,before:e.earlierCursor})).conversation?.messages;if(!t||o.view!==e)return;let r=i("messages"),s=r.scrollHeight-r.scrollTop;e.messages=[...t.nodes,...e.messages],e.earlierCursor=t.pageInfo.hasPreviousPage?t.pageInfo.startCursor:null,re(),r.scrollTop=r.scrollHeight-s}finally{o.loadingEarlier=!1}}}function Mn(e){K=pe(ze,()=>({conversationId:e,afterSequence:o.lastSequence}),n=>In(n.conversationEvents.sequence,n.conversationEvents.kind),n=>{n>0&&o.lastSequence===null&&sn()})}function In(e,n){if(o.lastSequence=Math.max(o.lastSequence??0,e),i("conversation").dataset.sequence=String(o.lastSequence),n==="CONVERSATION_DELETED"){L("This conversation was deleted."),location.hash="";return}o.tree=null,sn(),k()}function Dn(e){let n=i("live");n.textContent=e?"Live":"Reconnecting\u2026",n.className=e?"live on":"live off"}function he(e,n){return e.name||`Branch ${n.indexOf(e)+1}`}function ve(){let e=o.view;if(i("conversation").hidden=!e,i("empty-state").hidden=!!e,!e)return;i("conversation-title").textContent=fe(e.conversation),i("archive").textContent=e.conversation.archivedAt?"Unarchive":"Archive",i("branch-select").replaceChildren(...e.branches.map(t=>c("option",{value:t.id,selected:t.id===e.branch.id},`${he(t,e.branches)} \xB7 ${Y(t.messageCount,"message")}`))),i("delete-branch").disabled=e.branches.length<2,i("tree-toggle").setAttribute("aria-expanded",String(o.showTree)),re(),be(),ln()}function re(){let e=o.view;if(!e)return;let n=i("message-list");n.replaceChildren(...e.messages.map(_n)),i("earlier").hidden=!e.earlierCursor,e.messages.length||n.append(c("li",{class:"empty"},"No messages yet: write the first below."))}var an={USER:"User",ASSISTANT:"Assistant",SYSTEM:"System",DEVELOPER:"Developer",TOOL:"Tool",FUNCTION:"Function"};function _n(e){let n=o.editing===e.id,t=e.siblingCount>1?c("span",{class:"switcher",role:"group","aria-label":"Versions of this message"},c("button",{type:"button","aria-label":"Previous version",disabled:e.siblingIndex===0,onclick:()=>{y(()=>nn(e,-1))}},"\u2039"),c("span",{class:"position"},`${e.siblingIndex+1} / ${e.siblingCount}`),c("button",{type:"button","aria-label":"Next version",disabled:e.siblingIndex+1>=e.siblingCount,onclick:()=>{y(()=>nn(e,1))}},"\u203A")):null,r=document.querySelector(`form.edit[data-edit-of="${e.id}"]`),s=n?r??An(e):c("div",{class:"content","data-content-of":e.id},e.content),a=n?null:c("div",{class:"actions"},c("button",{type:"button",onclick:()=>Pn(e)},"Edit"),c("button",{type:"button",onclick:()=>Fn(e)},"Reply"),c("button",{type:"button",class:"danger",onclick:()=>{y(()=>$n(e))}},"Delete"));return c("li",{class:`message role-${e.role.toLowerCase()}`,"data-message-id":e.id},c("div",{class:"meta"},c("span",{class:"role"},an[e.role]??e.role),e.editOf?c("span",{class:"edited"},"edited"):null,t),s,a)}function An(e){let n=c("textarea",{"aria-label":"Edited message",rows:3});return n.value=o.draft,n.addEventListener("input",()=>{o.draft=n.value}),queueMicrotask(()=>n.focus()),c("form",{class:"edit","data-edit-of":e.id,onsubmit:t=>{t.preventDefault(),y(()=>Nn(e,n.value))}},n,c("div",{class:"actions"},c("button",{type:"submit"},"Save as new version"),c("button",{type:"button",onclick:kn},"Cancel")))}function be(){let e=i("reply-note"),n=o.replyTo;e.hidden=!n,i("reply-text").textContent=n?n.content.slice(0,80):""}function ln(){let e=i("tree");e.hidden=!o.showTree;let n=o.view;if(!o.showTree||!n)return;let t=o.tree,r=i("tree-body");if(!t){r.replaceChildren(c("p",{},"Reading the tree\u2026")),y(async()=>{o.tree=await U.read(n.conversation.id),ln()});return}let s=t.pathTo(n.branch.tip?.id),a=new Map;for(let m of n.branches)m.tip&&a.set(m.tip.id,[...a.get(m.tip.id)??[],he(m,n.branches)]);let h=m=>{let M=s.has(m.id),A=a.get(m.id);return c("li",{},c("button",{type:"button",class:M?"node on-branch":"node","data-tree-node":m.id,"aria-current":M?"true":void 0,onclick:()=>{y(()=>cn(m.id))}},c("span",{class:"role"},an[m.role]??m.role)," ",m.content.slice(0,70)||"(empty)",A?c("span",{class:"tip"},A.join(", ")):null),m.children.length?c("ul",{},...m.children.map(h)):null)};r.replaceChildren(c("p",{class:"legend"},`${Y(t.nodes.size,"message")}; the current branch is highlighted.`),c("ul",{class:"tree-root"},...t.roots.map(h)))}async function nn(e,n){let t=o.view;if(!t)return;let s=(o.tree??(o.tree=await U.read(t.conversation.id))).siblingsOf(e.id)[e.siblingIndex+n];s&&await cn(s.id)}async function cn(e){let n=o.view;if(!n)return;let r=(o.tree??(o.tree=await U.read(n.conversation.id))).branchThrough(e,n.branches);if(!r)throw new P("No branch holds that message any more.",null);await dn(r.id)}async function dn(e){let n=o.view;if(!n)return;let t=await E(ge,{input:{conversationId:n.conversation.id,branchId:e}});_(t.setCurrentBranch,"SetCurrentBranchSuccess"),await N({scrollToEnd:!0})}function Pn(e){o.editing=e.id,o.draft=e.content,re()}function kn(){o.editing=null,re()}async function Nn(e,n){let t=await E(Qe,{input:{messageId:e.id,message:{role:e.role,content:n}}});_(t.updateMessage,"UpdateMessageSuccess"),o.editing=null,o.tree=null,await N({scrollToEnd:!0}),L("Saved as a new version; the original stays reachable with \u2039 \u203A.")}function Fn(e){o.replyTo=e,be(),i("composer-text").focus()}async function $n(e){if(!confirm("Delete this message and every reply under it?"))return;let n=await E(We,{input:{messageId:e.id}}),t=_(n.deleteMessage,"DeleteMessageSuccess");o.tree=null,await N(),L(`Deleted ${Y(t.deletedMessageCount,"message")}.`)}async function Rn(e){e.preventDefault();let n=o.view,t=i("composer-text");if(!n||!t.value.trim())return;let r=i("composer-role").value,s=t.value,a=o.replyTo?{parentId:o.replyTo.id}:{branchId:n.branch.id},h=await E(He,{input:{conversationId:n.conversation.id,message:{role:r,content:s},...a}});_(h.addMessage,"AddMessageSuccess"),t.value="",o.replyTo=null,n.conversation.title||await E(te,{input:{id:n.conversation.id,title:s.trim().slice(0,60)}}),o.tree=null,await N({scrollToEnd:!0})}async function Bn(){let e=await E(qe,{input:{}}),n=_(e.createConversation,"CreateConversationSuccess");location.hash=`#/c/${n.conversation.id}`,i("composer-text").focus()}async function Ln(){let e=o.view;if(!e)return;let n=prompt("Title of the conversation",e.conversation.title??"");if(n===null)return;let t=await E(te,{input:{id:e.conversation.id,title:n.trim()||null}});_(t.updateConversation,"UpdateConversationSuccess"),await N(),k()}async function On(){let e=o.view;if(!e)return;let n=await E(te,{input:{id:e.conversation.id,archived:!e.conversation.archivedAt}});_(n.updateConversation,"UpdateConversationSuccess"),await N(),k()}async function Vn(){let e=o.view;if(!e||!confirm(`Delete \u201C${fe(e.conversation)}\u201D with every message?`))return;let n=await E(je,{input:{id:e.conversation.id}});_(n.deleteConversation,"DeleteConversationSuccess"),location.hash="",k()}async function Un(){let e=o.view;if(!e)return;let n=prompt("Name of this branch (empty: no name)",e.branch.name??"");if(n===null)return;let t=await E(Ke,{input:{branchId:e.branch.id,name:n.trim()||null}});_(t.renameBranch,"RenameBranchSuccess"),await N()}async function qn(){let e=o.view;if(!e)return;let n=he(e.branch,e.branches);if(!confirm(`Delete ${n} and the messages no other branch holds?`))return;let t=await E(Ge,{input:{branchId:e.branch.id}}),r=_(t.deleteBranch,"DeleteBranchSuccess");o.tree=null,await N({scrollToEnd:!0}),L(`Deleted ${n} (${Y(r.deletedMessageCount,"message")}).`)}function tn(){let e=/^#\/c\/([0-9a-f-]{36})$/i.exec(location.hash);y(()=>ye(e?e[1]:null))}function rn(){Xe?.stop(),Xe=pe(Je,()=>({}),()=>k(),e=>{e>0&&k()})}function Hn(){i("new-conversation").addEventListener("click",()=>{y(Bn)}),i("search").addEventListener("input",ne(k,250)),i("archive-filter").addEventListener("change",k),i("list-more").addEventListener("click",()=>{y(()=>me(!0))}),i("composer").addEventListener("submit",n=>{y(()=>Rn(n))}),i("composer-text").addEventListener("keydown",n=>{let t=n;t.key==="Enter"&&(t.ctrlKey||t.metaKey)&&i("composer").requestSubmit()}),i("cancel-reply").addEventListener("click",()=>{o.replyTo=null,be()}),i("rename-conversation").addEventListener("click",()=>{y(Ln)}),i("archive").addEventListener("click",()=>{y(On)}),i("delete-conversation").addEventListener("click",()=>{y(Vn)}),i("rename-branch").addEventListener("click",()=>{y(Un)}),i("delete-branch").addEventListener("click",()=>{y(qn)}),i("branch-select").addEventListener("change",n=>{y(()=>dn(n.target.value))}),i("tree-toggle").addEventListener("click",()=>{o.showTree=!o.showTree,ve()}),i("back").addEventListener("click",()=>{location.hash=""}),i("earlier").addEventListener("click",()=>{y(en)}),new IntersectionObserver(n=>{n.some(t=>t.isIntersecting)&&y(en)}).observe(i("earlier"));let e=i("token");e.value=ue(),i("token-form").addEventListener("submit",n=>{n.preventDefault(),_e(e.value.trim()),Fe(),i("token-panel").open=!1,L(e.value?"Token saved.":"Token removed."),K?.stop(),K=null,rn();let t=o.conversationId;o.conversationId=null,y(()=>ye(t)),k()}),window.addEventListener("hashchange",tn),Ne(Dn),rn(),tn(),y(async()=>{await me(),performance.mark("convograph:interactive")})}Hn();
