var mt=Object.defineProperty;var ft=(e,t,n)=>t in e?mt(e,t,{enumerable:!0,configurable:!0,writable:!0,value:n}):e[t]=n;var W=(e,t,n)=>ft(e,typeof t!="symbol"?t+"":t,n);function S(e){return e===null?"null":Array.isArray(e)?"array":typeof e}function B(e){return S(e)==="object"}function yt(e){return Array.isArray(e)&&e.length>0&&e.every(t=>"message"in t)}function ae(e,t){return e.length<124?e:t}var Se="graphql-transport-ws";var I=(e=>(e[e.InternalServerError=4500]="InternalServerError",e[e.InternalClientError=4005]="InternalClientError",e[e.BadRequest=4400]="BadRequest",e[e.BadResponse=4004]="BadResponse",e[e.Unauthorized=4401]="Unauthorized",e[e.Forbidden=4403]="Forbidden",e[e.SubprotocolNotAcceptable=4406]="SubprotocolNotAcceptable",e[e.ConnectionInitialisationTimeout=4408]="ConnectionInitialisationTimeout",e[e.ConnectionAcknowledgementTimeout=4504]="ConnectionAcknowledgementTimeout",e[e.SubscriberAlreadyExists=4409]="SubscriberAlreadyExists",e[e.TooManyInitialisationRequests=4429]="TooManyInitialisationRequests",e))(I||{}),D=(e=>(e.ConnectionInit="connection_init",e.ConnectionAck="connection_ack",e.Ping="ping",e.Pong="pong",e.Subscribe="subscribe",e.Next="next",e.Error="error",e.Complete="complete",e))(D||{});function Me(e){if(!B(e))throw new Error(`Message is expected to be an object, but got ${S(e)}`);if(!e.type)throw new Error("Message is missing the 'type' property");if(typeof e.type!="string")throw new Error(`Message is expects the 'type' property to be a string, but got ${S(e.type)}`);switch(e.type){case"connection_init":case"connection_ack":case"ping":case"pong":{if(e.payload!=null&&!B(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object or nullish or missing, but got "${e.payload}"`);break}case"subscribe":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${S(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!B(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${S(e.payload)}`);if(typeof e.payload.query!="string")throw new Error(`"${e.type}" message payload expects the 'query' property to be a string, but got ${S(e.payload.query)}`);if(e.payload.variables!=null&&!B(e.payload.variables))throw new Error(`"${e.type}" message payload expects the 'variables' property to be a an object or nullish or missing, but got ${S(e.payload.variables)}`);if(e.payload.operationName!=null&&S(e.payload.operationName)!=="string")throw new Error(`"${e.type}" message payload expects the 'operationName' property to be a string or nullish or missing, but got ${S(e.payload.operationName)}`);if(e.payload.extensions!=null&&!B(e.payload.extensions))throw new Error(`"${e.type}" message payload expects the 'extensions' property to be a an object or nullish or missing, but got ${S(e.payload.extensions)}`);break}case"next":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${S(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!B(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an object, but got ${S(e.payload)}`);break}case"error":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${S(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);if(!yt(e.payload))throw new Error(`"${e.type}" message expects the 'payload' property to be an array of GraphQL errors, but got ${JSON.stringify(e.payload)}`);break}case"complete":{if(typeof e.id!="string")throw new Error(`"${e.type}" message expects the 'id' property to be a string, but got ${S(e.id)}`);if(!e.id)throw new Error(`"${e.type}" message requires a non-empty 'id' property`);break}default:throw new Error(`Invalid message 'type' property "${e.type}"`)}return e}function Ie(e,t){return Me(typeof e=="string"?JSON.parse(e,t):e)}function G(e,t){return Me(e),JSON.stringify(e,t)}function le(e){let{url:t,connectionParams:n,lazy:r=!0,onNonLazyError:i=console.error,lazyCloseTimeout:a=0,keepAlive:h=0,disablePong:m,connectionAckWaitTimeout:M=0,retryAttempts:_=5,retryWait:$=async function(g){let c=Math.pow(2,g);await new Promise(p=>setTimeout(p,c*1e3+Math.floor(Math.random()*2700+300)))},shouldRetry:dt=ce,on:C,webSocketImpl:oe,generateID:ut=function(){return"xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g,g=>{let c=Math.random()*16|0;return(g=="x"?c:c&3|8).toString(16)})},jsonMessageReplacer:X,jsonMessageReviver:pt}=e,q;if(oe){if(!vt(oe))throw new Error("Invalid WebSocket implementation provided");q=oe}else typeof WebSocket<"u"?q=WebSocket:typeof global<"u"?q=global.WebSocket||global.MozWebSocket:typeof window<"u"&&(q=window.WebSocket||window.MozWebSocket);if(!q)throw new Error("WebSocket implementation missing; on Node you can `import WebSocket from 'ws';` and pass `webSocketImpl: WebSocket` to `createClient`");let O=q,x=(()=>{let d=(()=>{let c={};return{on(p,v){return c[p]=v,()=>{delete c[p]}},emit(p){"id"in p&&c[p.id]?.(p)}}})(),g={connecting:C?.connecting?[C.connecting]:[],opened:C?.opened?[C.opened]:[],connected:C?.connected?[C.connected]:[],ping:C?.ping?[C.ping]:[],pong:C?.pong?[C.pong]:[],message:C?.message?[d.emit,C.message]:[d.emit],closed:C?.closed?[C.closed]:[],error:C?.error?[C.error]:[]};return{onMessage:d.on,on(c,p){let v=g[c];return v.push(p),()=>{let b=v.indexOf(p);b>-1&&v.splice(b,1)}},emit(c,...p){for(let v of[...g[c]])v(...p)}}})();function se(d){let g=[x.on("error",c=>{g.forEach(p=>p()),d(c)}),x.on("closed",c=>{g.forEach(p=>p()),d(c)})];return()=>g.forEach(c=>c())}let U,R=0,ie,j=!1,Z=0,Ee=!1;async function we(){clearTimeout(ie);let[d,g]=await(U??(U=new Promise((v,b)=>(async()=>{if(j){if(await $(Z),!R)return U=void 0,b({code:1e3,reason:"All Subscriptions Gone"});Z++}x.emit("connecting",j);let u=new O(typeof t=="function"?await t():t,Se),F,H;function ee(){isFinite(h)&&h>0&&(clearTimeout(H),H=setTimeout(()=>{u.readyState===O.OPEN&&(u.send(G({type:D.Ping})),x.emit("ping",!1,void 0))},h))}se(T=>{U=void 0,clearTimeout(F),clearTimeout(H),b(T),T instanceof z&&(u.close(4499,"Terminated"),u.onerror=null,u.onclose=null)}),u.onerror=T=>x.emit("error",T),u.onclose=T=>x.emit("closed",T),u.onopen=async()=>{try{x.emit("opened",u);let T=typeof n=="function"?await n():n;if(u.readyState!==O.OPEN)return;u.send(G(T?{type:D.ConnectionInit,payload:T}:{type:D.ConnectionInit},X)),isFinite(M)&&M>0&&(F=setTimeout(()=>{u.close(I.ConnectionAcknowledgementTimeout,"Connection acknowledgement timeout")},M)),ee()}catch(T){x.emit("error",T),u.close(I.InternalClientError,ae(T instanceof Error?T.message:String(T),"Internal client error"))}};let Q=!1;u.onmessage=({data:T})=>{try{let w=Ie(T,pt);if(x.emit("message",w),w.type==="ping"||w.type==="pong"){x.emit(w.type,!0,w.payload),w.type==="pong"?ee():m||(u.send(G(w.payload?{type:D.Pong,payload:w.payload}:{type:D.Pong},X)),x.emit("pong",!1,w.payload));return}if(Q)return;if(w.type!==D.ConnectionAck)throw new Error(`First message cannot be of type ${w.type}`);clearTimeout(F),Q=!0,x.emit("connected",u,w.payload,j),j=!1,Z=0;let Te=new Promise((Ht,gt)=>se(gt));Te.catch(()=>{}),v([u,Te])}catch(w){u.onmessage=null,x.emit("error",w),u.close(I.BadResponse,ae(w instanceof Error?w.message:String(w),"Bad response"))}}})())));d.readyState===O.CLOSING&&await g;let c=()=>{},p=new Promise(v=>c=v);return[d,c,new Promise((v,b)=>{let u=se(b);d.readyState!==O.OPEN&&g.catch(b),p.then(()=>{if(u(),!R){let F=()=>d.close(1e3,"Normal Closure");isFinite(a)&&a>0?(clearTimeout(ie),ie=setTimeout(()=>{!R&&d.readyState===O.OPEN&&F()},a)):F()}v()})})]}function Ce(d){if(ce(d)&&(ht(d.code)||[I.InternalServerError,I.InternalClientError,I.BadRequest,I.BadResponse,I.Unauthorized,I.SubprotocolNotAcceptable,I.SubscriberAlreadyExists,I.TooManyInitialisationRequests].includes(d.code)))throw d;if(Ee)return!1;if(ce(d)&&d.code===1e3)return R>0;if(!_||Z>=_||!dt(d))throw d;return j=!0}r||(async()=>{for(R++;;)try{let[,,d]=await we();await d}catch(d){try{if(!Ce(d))return}catch(g){return i?.(g)}}})();function xe(d,g){let c=ut(d),p=!1,v=!1,b=()=>{R--,p=!0};return(async()=>{for(R++;;)try{let[u,F,H]=await we();if(p)return H.catch(()=>{}),F();let ee=x.onMessage(c,Q=>{switch(Q.type){case D.Next:{g.next(Q.payload);return}case D.Error:{v=!0,p=!0,g.error(Q.payload),b();return}case D.Complete:{p=!0,b();return}}});u.send(G({id:c,type:D.Subscribe,payload:d},X)),b=()=>{!p&&u.readyState===O.OPEN&&u.send(G({id:c,type:D.Complete},X)),R--,p=!0,F()},await H.finally(ee);return}catch(u){if(!Ce(u))return}})().then(()=>{v||g.complete()}).catch(u=>{g.error(u)}),()=>{p||b()}}return{on:x.on,subscribe:xe,iterate(d){let g=[],c={done:!1,error:null,resolve:()=>{}},p=xe(d,{next(b){g.push(b),c.resolve()},error(b){c.done=!0,c.error=b,c.resolve()},complete(){c.done=!0,c.resolve()}}),v=(async function*(){for(;;){for(g.length||await new Promise(u=>c.resolve=u);g.length;)yield g.shift();if(c.error)throw c.error;if(c.done)return}})();return v.throw=async b=>(c.done||(c.done=!0,c.error=b,c.resolve()),{done:!0,value:void 0}),v.return=async()=>(p(),{done:!0,value:void 0}),v},async dispose(){if(Ee=!0,U){let[d]=await U;d.close(1e3,"Normal Closure")}},terminate(){U&&x.emit("closed",new z)}}}var z=class extends Error{constructor(){super(...arguments);W(this,"name","TerminatedCloseEvent");W(this,"message","4499: Terminated");W(this,"code",4499);W(this,"reason","Terminated");W(this,"wasClean",!1)}};function ce(e){return B(e)&&"code"in e&&"reason"in e}function ht(e){return[1e3,1001,1006,1005,1012,1013,1014].includes(e)?!1:e>=1e3&&e<=1999}function vt(e){return typeof e=="function"&&"constructor"in e&&"CLOSED"in e&&"CLOSING"in e&&"CONNECTING"in e&&"OPEN"in e}var de="convograph.token",P=class extends Error{constructor(n,r){super(n);this.code=r}};function ue(){return localStorage.getItem(de)??""}function Ae(e){e?localStorage.setItem(de,e):localStorage.removeItem(de)}function _e(){let e=ue().trim();return e?{authorization:/^bearer /i.test(e)?e:`Bearer ${e}`}:{}}var Pe=new URL("graphql",document.baseURI);async function E(e,t){let n;try{n=await fetch(Pe,{method:"POST",headers:{"content-type":"application/json",..._e()},body:JSON.stringify({query:e.toString(),variables:t})})}catch{throw new P("The server cannot be reached.","NETWORK")}let r;try{r=await n.json()}catch{throw new P(`The server answered ${n.status} without a GraphQL body.`,null)}let i=r.errors?.[0];if(i)throw new P(i.message,i.extensions?.code??null);if(r.data==null)throw new P("The server sent no data.",null);return r.data}function A(e,t){if(e.__typename!==t)throw new P(e.detail??e.__typename,e.code??null);return e}var J=null,ke=[];function Ne(e){ke.push(e)}function De(e){for(let t of ke)t(e)}function bt(){if(J===null){let e=new URL(Pe);e.protocol=e.protocol==="https:"?"wss:":"ws:",J=le({url:e.toString(),connectionParams:()=>_e(),retryAttempts:0,lazyCloseTimeout:1e3,on:{connected:()=>De(!0),closed:()=>De(!1)}})}return J}function Fe(){J?.dispose(),J=null}function pe(e,t,n,r){let i=!1,a=0,h=null,m,M=()=>{if(i)return;let $=Math.min(500*2**Math.min(a,5),15e3);m=window.setTimeout(_,$)},_=()=>{i||(r(a),a+=1,h=bt().subscribe({query:e.toString(),variables:t()},{next:$=>{a=1,$.data&&n($.data)},error:M,complete:()=>{}}))};return _(),{stop(){i=!0,window.clearTimeout(m),h?.()}}}function l(e,t={},...n){let r=document.createElement(e);for(let[i,a]of Object.entries(t))a===void 0||a===!1||(i.startsWith("on")&&typeof a=="function"?r.addEventListener(i.slice(2),a):i==="class"?r.className=String(a):r.setAttribute(i,a===!0?"":String(a)));return r.append(...n.filter(i=>!!i)),r}function s(e){let t=document.getElementById(e);if(!t)throw new Error(`#${e} is missing from the page`);return t}function $e(e){let t=[];for(let n of e.split("")){let r=n.indexOf("");if(r<0){t.push(document.createTextNode(n));continue}t.push(l("mark",{},n.slice(0,r)),document.createTextNode(n.slice(r+1)))}return t}function te(e,t){let n;return()=>{window.clearTimeout(n),n=window.setTimeout(e,t)}}var f=class extends String{constructor(t,n){super(t),this.value=t,this.__meta__=n}toString(){return this.value}},en=new f(`
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
    `,{fragmentName:"MessageFields"}),tn=new f(`
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
    `,{fragmentName:"BranchFields"}),nn=new f(`
    fragment Problem on UserError {
  code
  detail
  field
}
    `,{fragmentName:"Problem"}),rn=new f(`
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
  createdAt
  siblingIndex
  siblingCount
  parent {
    id
  }
  editOf {
    id
  }
}`),Ve=new f(`
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
    `);var V=class e{constructor(t){this.nodes=new Map;this.roots=[];for(let r of t)this.nodes.set(r.id,{id:r.id,role:r.role,content:r.content,parentId:r.parent?.id??null,siblingIndex:r.siblingIndex,children:[]});for(let r of this.nodes.values()){let i=r.parentId?this.nodes.get(r.parentId):void 0;(i?i.children:this.roots).push(r)}let n=(r,i)=>r.siblingIndex-i.siblingIndex;this.roots.sort(n);for(let r of this.nodes.values())r.children.sort(n)}static async read(t){let n=[],r=null;for(;;){let a=(await E(Ve,{id:t,first:100,after:r})).conversation?.messagesInTree;if(!a||(n.push(...a.nodes),!a.pageInfo.hasNextPage))break;r=a.pageInfo.endCursor}return new e(n)}siblingsOf(t){let n=this.nodes.get(t);if(!n)return[];let r=n.parentId?this.nodes.get(n.parentId):void 0;return r?r.children:this.roots}pathTo(t){let n=new Set,r=t?this.nodes.get(t):void 0;for(;r&&!n.has(r.id);)n.add(r.id),r=r.parentId?this.nodes.get(r.parentId):void 0;return n}branchThrough(t,n){let r=null;for(let i of n)!i.tip||!this.pathTo(i.tip.id).has(t)||(!r||i.updatedAt>r.updatedAt)&&(r=i);return r}};var ot=30,Ye=30,o={conversationId:null,view:null,tree:null,showTree:!1,replyTo:null,editing:null,draft:"",listCursor:null,lastSequence:null,loadingEarlier:!1},K=null,Xe=null;function L(e){s("status").textContent=e}function Et(e){if(e instanceof P&&e.code==="UNAUTHENTICATED"){s("token-panel").open=!0,L(`This server needs a token: ${e.message}`);return}L(e instanceof Error?e.message:String(e))}async function y(e){try{await e()}catch(t){Et(t)}}function wt(){let e=s("archive-filter").value;return e==="all"?null:e==="archived"}function fe(e){return e.title||"Untitled conversation"}function Y(e,t){return`${e} ${t}${e===1?"":"s"}`}function Ct(e){return new Date(e).toLocaleString(void 0,{dateStyle:"medium",timeStyle:"short"})}function Ze(e,t){let n=e.id===o.conversationId;return l("li",{},l("a",{href:`#/c/${e.id}`,class:n?"conversation current":"conversation","aria-current":n?"page":void 0},l("span",{class:"title"},fe(e)),...t??[],l("span",{class:"when"},`${Y(e.messageCount,"message")} \xB7 ${Ct(e.createdAt)}`,e.archivedAt?" \xB7 archived":"")))}async function me(e=!1){let t=s("search").value.trim(),n=s("conversation-list"),r=s("list-more");if(t){let h=await E(Be,{query:t,first:Ye}),m=h.searchMessages.nodes.map(M=>Ze(M.conversation,[l("span",{class:"snippet"},...$e(M.snippet))]));for(let[M,_]of h.searchMessages.nodes.entries())m[M].querySelector("a")?.addEventListener("click",$=>{$.preventDefault(),y(()=>xt(_.conversation.id,_.branches.nodes[0]?.id??null))});n.replaceChildren(...m),m.length||n.append(l("li",{class:"empty"},"No message matches.")),r.hidden=!0;return}let i=await E(Re,{filter:{archived:wt()},first:Ye,after:e?o.listCursor:null}),a=i.conversations.nodes.map(h=>Ze(h));e?n.append(...a):n.replaceChildren(...a),n.children.length||n.append(l("li",{class:"empty"},"No conversations yet.")),o.listCursor=i.conversations.pageInfo.endCursor,r.hidden=!i.conversations.pageInfo.hasNextPage}var k=te(()=>{y(()=>me())},150);async function xt(e,t){if(t){let n=await E(ge,{input:{conversationId:e,branchId:t}});A(n.setCurrentBranch,"SetCurrentBranchSuccess")}location.hash===`#/c/${e}`?await ye(e):location.hash=`#/c/${e}`}async function Tt(e,t){let r=(await E(Le,{id:e,last:Math.min(Math.max(t,ot),100)})).conversation;if(!r)return null;let i=[...r.branches.nodes],a=r.branches.pageInfo;for(;a.hasNextPage&&a.endCursor;){let h=await E(Oe,{id:e,after:a.endCursor});if(!h.conversation)break;i.push(...h.conversation.branches.nodes),a=h.conversation.branches.pageInfo}return{conversation:r,branch:r.currentBranch,branches:i,messages:r.messages.nodes,earlierCursor:r.messages.pageInfo.hasPreviousPage?r.messages.pageInfo.startCursor:null}}async function ye(e){if(e!==o.conversationId&&(K?.stop(),K=null,delete s("conversation").dataset.sequence,Object.assign(o,{conversationId:e,view:null,tree:null,replyTo:null,editing:null,lastSequence:null})),document.body.classList.toggle("reading",e!==null),e===null){ve();return}await N({scrollToEnd:!0}),o.view&&!K&&St(e),k()}async function N(e={}){let t=o.conversationId;if(!t)return;let n=s("messages"),r=n.scrollHeight-n.scrollTop-n.clientHeight<80,i=o.view?.messages.length??0,a=await Tt(t,i);t===o.conversationId&&(a&&o.view&&a.branch.id!==o.view.branch.id&&(o.replyTo=null),o.view=a,a||L("This conversation does not exist, or you may not see it."),o.showTree&&a&&(o.tree=await V.read(t)),ve(),(e.scrollToEnd||r)&&(n.scrollTop=n.scrollHeight))}var st=te(()=>{y(()=>N())},100);async function et(){let e=o.view;if(!(!e||!e.earlierCursor||o.loadingEarlier)){o.loadingEarlier=!0;try{let n=(await E(Ue,{id:e.conversation.id,branchId:e.branch.id,last:ot,before:e.earlierCursor})).conversation?.messages;if(!n||o.view!==e)return;let r=s("messages"),i=r.scrollHeight-r.scrollTop;e.messages=[...n.nodes,...e.messages],e.earlierCursor=n.pageInfo.hasPreviousPage?n.pageInfo.startCursor:null,re(),r.scrollTop=r.scrollHeight-i}finally{o.loadingEarlier=!1}}}function St(e){K=pe(ze,()=>({conversationId:e,afterSequence:o.lastSequence}),t=>Mt(t.conversationEvents.sequence,t.conversationEvents.kind),t=>{t>0&&o.lastSequence===null&&st()})}function Mt(e,t){if(o.lastSequence=Math.max(o.lastSequence??0,e),s("conversation").dataset.sequence=String(o.lastSequence),t==="CONVERSATION_DELETED"){L("This conversation was deleted."),location.hash="";return}o.tree=null,st(),k()}function It(e){let t=s("live");t.textContent=e?"Live":"Reconnecting\u2026",t.className=e?"live on":"live off"}function he(e,t){return e.name||`Branch ${t.indexOf(e)+1}`}function ve(){let e=o.view;if(s("conversation").hidden=!e,s("empty-state").hidden=!!e,!e)return;s("conversation-title").textContent=fe(e.conversation),s("archive").textContent=e.conversation.archivedAt?"Unarchive":"Archive",s("branch-select").replaceChildren(...e.branches.map(n=>l("option",{value:n.id,selected:n.id===e.branch.id},`${he(n,e.branches)} \xB7 ${Y(n.messageCount,"message")}`))),s("delete-branch").disabled=e.branches.length<2,s("tree-toggle").setAttribute("aria-expanded",String(o.showTree)),re(),be(),at()}function re(){let e=o.view;if(!e)return;let t=s("message-list");t.replaceChildren(...e.messages.map(Dt)),s("earlier").hidden=!e.earlierCursor,e.messages.length||t.append(l("li",{class:"empty"},"No messages yet: write the first below."))}var it={USER:"User",ASSISTANT:"Assistant",SYSTEM:"System",DEVELOPER:"Developer",TOOL:"Tool",FUNCTION:"Function"};function Dt(e){let t=o.editing===e.id,n=e.siblingCount>1?l("span",{class:"switcher",role:"group","aria-label":"Versions of this message"},l("button",{type:"button","aria-label":"Previous version",disabled:e.siblingIndex===0,onclick:()=>{y(()=>tt(e,-1))}},"\u2039"),l("span",{class:"position"},`${e.siblingIndex+1} / ${e.siblingCount}`),l("button",{type:"button","aria-label":"Next version",disabled:e.siblingIndex+1>=e.siblingCount,onclick:()=>{y(()=>tt(e,1))}},"\u203A")):null,r=document.querySelector(`form.edit[data-edit-of="${e.id}"]`),i=t?r??At(e):l("div",{class:"content","data-content-of":e.id},e.content),a=t?null:l("div",{class:"actions"},l("button",{type:"button",onclick:()=>_t(e)},"Edit"),l("button",{type:"button",onclick:()=>Nt(e)},"Reply"),l("button",{type:"button",class:"danger",onclick:()=>{y(()=>Ft(e))}},"Delete"));return l("li",{class:`message role-${e.role.toLowerCase()}`,"data-message-id":e.id},l("div",{class:"meta"},l("span",{class:"role"},it[e.role]??e.role),e.editOf?l("span",{class:"edited"},"edited"):null,n),i,a)}function At(e){let t=l("textarea",{"aria-label":"Edited message",rows:3});return t.value=o.draft,t.addEventListener("input",()=>{o.draft=t.value}),queueMicrotask(()=>t.focus()),l("form",{class:"edit","data-edit-of":e.id,onsubmit:n=>{n.preventDefault(),y(()=>kt(e,t.value))}},t,l("div",{class:"actions"},l("button",{type:"submit"},"Save as new version"),l("button",{type:"button",onclick:Pt},"Cancel")))}function be(){let e=s("reply-note"),t=o.replyTo;e.hidden=!t,s("reply-text").textContent=t?t.content.slice(0,80):""}function at(){let e=s("tree");e.hidden=!o.showTree;let t=o.view;if(!o.showTree||!t)return;let n=o.tree,r=s("tree-body");if(!n){r.replaceChildren(l("p",{},"Reading the tree\u2026")),y(async()=>{o.tree=await V.read(t.conversation.id),at()});return}let i=n.pathTo(t.branch.tip?.id),a=new Map;for(let m of t.branches)m.tip&&a.set(m.tip.id,[...a.get(m.tip.id)??[],he(m,t.branches)]);let h=m=>{let M=i.has(m.id),_=a.get(m.id);return l("li",{},l("button",{type:"button",class:M?"node on-branch":"node","data-tree-node":m.id,"aria-current":M?"true":void 0,onclick:()=>{y(()=>ct(m.id))}},l("span",{class:"role"},it[m.role]??m.role)," ",m.content.slice(0,70)||"(empty)",_?l("span",{class:"tip"},_.join(", ")):null),m.children.length?l("ul",{},...m.children.map(h)):null)};r.replaceChildren(l("p",{class:"legend"},`${Y(n.nodes.size,"message")}; the current branch is highlighted.`),l("ul",{class:"tree-root"},...n.roots.map(h)))}async function tt(e,t){let n=o.view;if(!n)return;let i=(o.tree??(o.tree=await V.read(n.conversation.id))).siblingsOf(e.id)[e.siblingIndex+t];i&&await ct(i.id)}async function ct(e){let t=o.view;if(!t)return;let r=(o.tree??(o.tree=await V.read(t.conversation.id))).branchThrough(e,t.branches);if(!r)throw new P("No branch holds that message any more.",null);await lt(r.id)}async function lt(e){let t=o.view;if(!t)return;let n=await E(ge,{input:{conversationId:t.conversation.id,branchId:e}});A(n.setCurrentBranch,"SetCurrentBranchSuccess"),await N({scrollToEnd:!0})}function _t(e){o.editing=e.id,o.draft=e.content,re()}function Pt(){o.editing=null,re()}async function kt(e,t){let n=await E(Qe,{input:{messageId:e.id,message:{role:e.role,content:t}}});A(n.updateMessage,"UpdateMessageSuccess"),o.editing=null,o.tree=null,await N({scrollToEnd:!0}),L("Saved as a new version; the original stays reachable with \u2039 \u203A.")}function Nt(e){o.replyTo=e,be(),s("composer-text").focus()}async function Ft(e){if(!confirm("Delete this message and every reply under it?"))return;let t=await E(We,{input:{messageId:e.id}}),n=A(t.deleteMessage,"DeleteMessageSuccess");o.tree=null,await N(),L(`Deleted ${Y(n.deletedMessageCount,"message")}.`)}async function $t(e){e.preventDefault();let t=o.view,n=s("composer-text");if(!t||!n.value.trim())return;let r=s("composer-role").value,i=n.value,a=o.replyTo?{parentId:o.replyTo.id}:{branchId:t.branch.id},h=await E(He,{input:{conversationId:t.conversation.id,message:{role:r,content:i},...a}});A(h.addMessage,"AddMessageSuccess"),n.value="",o.replyTo=null,t.conversation.title||await E(ne,{input:{id:t.conversation.id,title:i.trim().slice(0,60)}}),o.tree=null,await N({scrollToEnd:!0})}async function Rt(){let e=await E(qe,{input:{}}),t=A(e.createConversation,"CreateConversationSuccess");location.hash=`#/c/${t.conversation.id}`,s("composer-text").focus()}async function Bt(){let e=o.view;if(!e)return;let t=prompt("Title of the conversation",e.conversation.title??"");if(t===null)return;let n=await E(ne,{input:{id:e.conversation.id,title:t.trim()||null}});A(n.updateConversation,"UpdateConversationSuccess"),await N(),k()}async function Lt(){let e=o.view;if(!e)return;let t=await E(ne,{input:{id:e.conversation.id,archived:!e.conversation.archivedAt}});A(t.updateConversation,"UpdateConversationSuccess"),await N(),k()}async function Ot(){let e=o.view;if(!e||!confirm(`Delete \u201C${fe(e.conversation)}\u201D with every message?`))return;let t=await E(je,{input:{id:e.conversation.id}});A(t.deleteConversation,"DeleteConversationSuccess"),location.hash="",k()}async function Ut(){let e=o.view;if(!e)return;let t=prompt("Name of this branch (empty: no name)",e.branch.name??"");if(t===null)return;let n=await E(Ke,{input:{branchId:e.branch.id,name:t.trim()||null}});A(n.renameBranch,"RenameBranchSuccess"),await N()}async function Vt(){let e=o.view;if(!e)return;let t=he(e.branch,e.branches);if(!confirm(`Delete ${t} and the messages no other branch holds?`))return;let n=await E(Ge,{input:{branchId:e.branch.id}}),r=A(n.deleteBranch,"DeleteBranchSuccess");o.tree=null,await N({scrollToEnd:!0}),L(`Deleted ${t} (${Y(r.deletedMessageCount,"message")}).`)}function nt(){let e=/^#\/c\/([0-9a-f-]{36})$/i.exec(location.hash);y(()=>ye(e?e[1]:null))}function rt(){Xe?.stop(),Xe=pe(Je,()=>({}),()=>k(),e=>{e>0&&k()})}function qt(){s("new-conversation").addEventListener("click",()=>{y(Rt)}),s("search").addEventListener("input",te(k,250)),s("archive-filter").addEventListener("change",k),s("list-more").addEventListener("click",()=>{y(()=>me(!0))}),s("composer").addEventListener("submit",t=>{y(()=>$t(t))}),s("composer-text").addEventListener("keydown",t=>{let n=t;n.key==="Enter"&&(n.ctrlKey||n.metaKey)&&s("composer").requestSubmit()}),s("cancel-reply").addEventListener("click",()=>{o.replyTo=null,be()}),s("rename-conversation").addEventListener("click",()=>{y(Bt)}),s("archive").addEventListener("click",()=>{y(Lt)}),s("delete-conversation").addEventListener("click",()=>{y(Ot)}),s("rename-branch").addEventListener("click",()=>{y(Ut)}),s("delete-branch").addEventListener("click",()=>{y(Vt)}),s("branch-select").addEventListener("change",t=>{y(()=>lt(t.target.value))}),s("tree-toggle").addEventListener("click",()=>{o.showTree=!o.showTree,ve()}),s("back").addEventListener("click",()=>{location.hash=""}),s("earlier").addEventListener("click",()=>{y(et)}),new IntersectionObserver(t=>{t.some(n=>n.isIntersecting)&&y(et)}).observe(s("earlier"));let e=s("token");e.value=ue(),s("token-form").addEventListener("submit",t=>{t.preventDefault(),Ae(e.value.trim()),Fe(),s("token-panel").open=!1,L(e.value?"Token saved.":"Token removed."),K?.stop(),K=null,rt();let n=o.conversationId;o.conversationId=null,y(()=>ye(n)),k()}),window.addEventListener("hashchange",nt),Ne(It),rt(),nt(),y(async()=>{await me(),performance.mark("convograph:interactive")})}qt();
