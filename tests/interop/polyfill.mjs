// Node 20 lacks Promise.withResolvers (Node 22), which current js-libp2p dependencies use.
// Imported first by the test scripts; test-only.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers () {
    let resolve, reject
    const promise = new Promise((res, rej) => { resolve = res; reject = rej })
    return { promise, resolve, reject }
  }
}
