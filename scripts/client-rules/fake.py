#!/usr/bin/env python3
# fake.py PORT MODE LOG: a loopback fake of the Claude API for
# scripts/client-rules/measure.sh (plain HTTP, 127.0.0.1 only). MODE: see measure.sh.
# Each POST is logged to LOG as "seconds method path stream=… n=…".
import sys, time, json, threading
from http.server import ThreadingHTTPServer, BaseHTTPRequestHandler
port=int(sys.argv[1]); mode=sys.argv[2]; log=open(sys.argv[3],'a'); T0=time.time()
count={'n':0}; lock=threading.Lock()
def events(model):
    return [('message_start',{"type":"message_start","message":{"id":"msg_x","type":"message","role":"assistant","model":model,"content":[],"stop_reason":None,"usage":{"input_tokens":8,"output_tokens":1}}}),
     ('content_block_start',{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}),
     ('content_block_delta',{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}),
     ('content_block_stop',{"type":"content_block_stop","index":0}),
     ('message_delta',{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":None},"usage":{"output_tokens":1}}),
     ('message_stop',{"type":"message_stop"})]
class H(BaseHTTPRequestHandler):
    protocol_version='HTTP/1.1'
    def log_message(self,*a): pass
    def do_GET(self):
        log.write('%.3f %s %s stream=- n=0\n'%(time.time()-T0,self.command,self.path)); log.flush()
        self.send_error(404)
    def do_HEAD(self): self.send_error(404)
    def do_POST(self):
        n=int(self.headers.get('content-length') or 0); body=self.rfile.read(n)
        try: j=json.loads(body)
        except Exception: j={}
        with lock:
            count['n']+=1; k=count['n']
        log.write('%.3f %s %s stream=%s n=%d\n'%(time.time()-T0,self.command,self.path,j.get('stream'),k)); log.flush()
        if 'count_tokens' in self.path:
            return self.json(200,{"input_tokens":8})
        m=mode
        if self.path.startswith('/redirected'): m='ok'
        if m.startswith('status:'):
            code=int(m.split(':')[1]); extra={}
            if code==429: extra={'retry-after':'1'}
            typ={401:'authentication_error',429:'rate_limit_error',529:'overloaded_error',403:'permission_error',400:'invalid_request_error',404:'not_found_error',408:'timeout_error',409:'conflict_error',413:'request_too_large'}.get(code,'api_error')
            return self.json(code,{"type":"error","error":{"type":typ,"message":"fake %d"%code}},extra)
        if m.startswith('redirect:'):
            code=int(m.split(':')[1])
            self.send_response(code); self.send_header('location','/redirected'+self.path); self.send_header('content-length','0'); self.end_headers(); return
        if m.startswith('ttfb:'):   # delay before the status line
            time.sleep(float(m.split(':')[1])); m='ok'
        if m.startswith('firstonly:'): # only the first request is slow
            if k==1: time.sleep(float(m.split(':')[1]))
            m='ok'
        if m=='reset':
            self.connection.shutdown(2); self.connection.close(); return
        if m.startswith('pings:') or m.startswith('silent:') or m=='ok':
            d=float(m.split(':')[1]) if ':' in m else 0
            ev=events(j.get('model','claude'))
            if not j.get('stream'):
                return self.json(200,{"id":"msg_x","type":"message","role":"assistant","model":j.get('model'),"content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":None,"usage":{"input_tokens":8,"output_tokens":1}})
            self.send_response(200); self.send_header('content-type','text/event-stream'); self.send_header('request-id','req_x'); self.send_header('transfer-encoding','chunked'); self.end_headers()
            def w(name,data):
                s=('event: %s\ndata: %s\n\n'%(name,json.dumps(data))).encode()
                self.wfile.write(b'%x\r\n'%len(s)+s+b'\r\n'); self.wfile.flush()
            w(*ev[0])
            t=time.time()
            while time.time()-t<d:
                time.sleep(0.5 if m.startswith('pings') else d)
                if m.startswith('pings'): w('ping',{"type":"ping"})
            for e in ev[1:]: w(*e)
            self.wfile.write(b'0\r\n\r\n'); self.wfile.flush(); return
        self.send_error(500)
    def json(self,code,obj,extra={}):
        b=json.dumps(obj).encode()
        self.send_response(code); self.send_header('content-type','application/json'); self.send_header('request-id','req_x')
        for k,v in extra.items(): self.send_header(k,v)
        self.send_header('content-length',str(len(b))); self.end_headers(); self.wfile.write(b)
ThreadingHTTPServer(('127.0.0.1',port),H).serve_forever()
