package netcheck

// Entry is what the catalogue says about a finding code: how bad it is, a
// default summary, and a concrete fix, in English and Simplified Chinese.
type Entry struct {
	Severity Severity
	Summary  Text
	Fix      Text
}

// Lookup returns the catalogue's entry for code.
func Lookup(code Code) (Entry, bool) {
	e, ok := catalogue[code]
	return e, ok
}

// Codes returns every code of the catalogue.
func Codes() []Code {
	out := make([]Code, 0, len(catalogue))
	for c := range catalogue {
		out = append(out, c)
	}
	return out
}

func fail(sumEN, sumZH, fixEN, fixZH string) Entry {
	return Entry{SeverityFail, Text{sumEN, sumZH}, Text{fixEN, fixZH}}
}

func warn(sumEN, sumZH, fixEN, fixZH string) Entry {
	return Entry{SeverityWarn, Text{sumEN, sumZH}, Text{fixEN, fixZH}}
}

// catalogue is DESIGN.md's finding catalogue with a fix for each code.
var catalogue = map[Code]Entry{
	ConfigInvalid: fail(
		"A Claude Code setting is invalid.",
		"Claude Code 的某项设置无效。",
		"Open the file or variable named above and correct it: settings files must be valid JSON (no trailing commas or comments), API_TIMEOUT_MS a whole number of milliseconds no larger than 2147483647, ANTHROPIC_BASE_URL a full https:// URL, NODE_EXTRA_CA_CERTS a PEM file. Claude Code ignores a settings file it cannot read.",
		"打开上面提到的文件或变量并改正：设置文件必须是合法的 JSON（不能有多余的逗号或注释），API_TIMEOUT_MS 必须是不超过 2147483647 的整数毫秒数，ANTHROPIC_BASE_URL 必须是完整的 https:// 地址，NODE_EXTRA_CA_CERTS 必须指向 PEM 文件。Claude Code 会忽略无法读取的设置文件。"),
	KeyMissing: fail(
		"No API key or token is set anywhere Claude Code looks.",
		"在 Claude Code 会查找的位置都没有找到 API 密钥或令牌。",
		"Create a key at console.anthropic.com (API keys) and store it with Claude Medic's key page (it goes to the system keychain and Claude Code reads it through apiKeyHelper), or run /login in Claude Code to sign in with your Claude account.",
		"在 console.anthropic.com 的 API Keys 页面创建密钥，并在 Claude Medic 的密钥页面保存（密钥存入系统钥匙串，Claude Code 通过 apiKeyHelper 读取）；或者在 Claude Code 里运行 /login，用 Claude 账号登录。"),
	KeyMalformed: fail(
		"The key is not in the shape of an Anthropic key.",
		"密钥的格式不对，不像 Anthropic 的密钥。",
		"Copy the key again from console.anthropic.com and paste it with no quotes, spaces or line breaks around it; Claude Medic's key page trims and checks it before saving.",
		"从 console.anthropic.com 重新复制密钥，粘贴时不要带引号、空格或换行；Claude Medic 的密钥页面会在保存前自动去掉首尾空白并检查格式。"),
	KeyWrongKind: fail(
		"The credential is sent the wrong way for its kind.",
		"凭据的发送方式与其类型不符。",
		"Put an API key (sk-ant-api…) in ANTHROPIC_API_KEY or the keychain, and an OAuth token (sk-ant-oat…) only in ANTHROPIC_AUTH_TOKEN; or remove the token and run /login in Claude Code.",
		"API 密钥（sk-ant-api…）应放在 ANTHROPIC_API_KEY 或钥匙串中，OAuth 令牌（sk-ant-oat…）只能放在 ANTHROPIC_AUTH_TOKEN 中；也可以删掉令牌，在 Claude Code 里运行 /login。"),
	DNSFailed: fail(
		"The API's host name does not resolve.",
		"API 的主机名无法解析。",
		"Check the host name in ANTHROPIC_BASE_URL for typos; then check this machine's DNS (try another DNS server such as your router's or 1.1.1.1, or turn a VPN on or off). If your network blocks api.anthropic.com, use the proxy your organisation provides (HTTPS_PROXY).",
		"先检查 ANTHROPIC_BASE_URL 里的主机名有没有拼错；再检查本机的 DNS（换一个 DNS 服务器，比如路由器的或 1.1.1.1，或者开关一下 VPN）。如果所在网络屏蔽了 api.anthropic.com，请使用单位提供的代理（HTTPS_PROXY）。"),
	TCPTimeout: fail(
		"The connection times out: packets to the API are dropped.",
		"连接超时：发往 API 的数据包被丢弃了。",
		"A firewall or network is silently dropping traffic to this host and port. Try another network (a phone hotspot tells you quickly), ask your network administrator to allow it, or set HTTPS_PROXY to your organisation's proxy. If ANTHROPIC_BASE_URL points at a relay, check that the relay's machine is up.",
		"防火墙或网络在悄悄丢弃发往这个主机和端口的流量。换一个网络试试（手机热点可以很快验证），请网络管理员放行，或把 HTTPS_PROXY 设为单位的代理。如果 ANTHROPIC_BASE_URL 指向中转服务，请确认中转服务所在的机器已开机。"),
	TCPRefused: fail(
		"The connection is refused: nothing listens there, or a firewall rejects it.",
		"连接被拒绝：那里没有程序在监听，或被防火墙拒绝。",
		"If ANTHROPIC_BASE_URL points at a local router or relay (127.0.0.1, localhost), start it or remove the stale ANTHROPIC_BASE_URL from your shell profile and settings. Otherwise check the port in the URL and your firewall.",
		"如果 ANTHROPIC_BASE_URL 指向本地的路由或中转服务（127.0.0.1、localhost），请启动它，或从 shell 配置文件和设置中删除已失效的 ANTHROPIC_BASE_URL；否则请检查 URL 中的端口和防火墙。"),
	ProxyURLInvalid: fail(
		"The proxy URL cannot be parsed; Claude Code refuses to start.",
		"代理地址无法解析，Claude Code 会拒绝启动。",
		"Set HTTPS_PROXY to a complete URL with its scheme and no spaces, e.g. http://proxy.example.com:8080 (user and password as http://user:pass@host:port, special characters percent-encoded), or unset it.",
		"把 HTTPS_PROXY 设为带协议头、不含空格的完整地址，例如 http://proxy.example.com:8080（如需账号密码，写成 http://user:pass@host:port，特殊字符需做百分号编码），或者删除这个变量。"),
	ProxyUnreachable: fail(
		"The proxy itself cannot be reached.",
		"无法连接到代理本身。",
		"Start the proxy (or the VPN or proxy app that provides it) and check its address and port; if you no longer use a proxy, remove HTTPS_PROXY and HTTP_PROXY from your shell profile and Claude Code settings.",
		"启动代理（或提供代理的 VPN、代理软件），并核对地址和端口；如果已经不用代理，请从 shell 配置文件和 Claude Code 设置中删除 HTTPS_PROXY 和 HTTP_PROXY。"),
	ProxyAuthRequired: fail(
		"The proxy wants a user name and password (407).",
		"代理要求提供用户名和密码（407）。",
		"Put the proxy credentials in the URL: HTTPS_PROXY=http://user:password@proxy:port (percent-encode special characters). Proxies that only accept Windows (NTLM/Kerberos) sign-in need a local helper such as cntlm or px.",
		"把代理账号写进地址：HTTPS_PROXY=http://用户名:密码@代理地址:端口（特殊字符需做百分号编码）。只支持 Windows 域登录（NTLM/Kerberos）的代理，需要借助 cntlm 或 px 之类的本地辅助程序。"),
	ProxyRefused: fail(
		"The proxy refuses to open a tunnel to the API.",
		"代理拒绝建立到 API 的隧道。",
		"Ask your proxy administrator to allow CONNECT to api.anthropic.com:443 (or to your ANTHROPIC_BASE_URL host), or add that host to NO_PROXY if it can be reached directly.",
		"请代理管理员放行到 api.anthropic.com:443（或 ANTHROPIC_BASE_URL 中的主机）的 CONNECT 请求；如果该主机可以直连，把它加入 NO_PROXY。"),
	ProxyCatchesLocal: warn(
		"Requests to the local base URL go through the proxy.",
		"发往本地基础 URL 的请求会经过代理。",
		"Add the local host to NO_PROXY, e.g. NO_PROXY=localhost,127.0.0.1,::1 (in the same place HTTPS_PROXY is set), so Claude Code talks to the local router directly.",
		"把本地主机加入 NO_PROXY，例如 NO_PROXY=localhost,127.0.0.1,::1（与 HTTPS_PROXY 设在同一处），让 Claude Code 直接连接本地路由服务。"),
	ProxySocksUnsupported: fail(
		"A SOCKS proxy is set; Claude Code supports HTTP and HTTPS proxies only.",
		"设置的是 SOCKS 代理，而 Claude Code 只支持 HTTP 和 HTTPS 代理。",
		"Use the HTTP proxy port your proxy app offers (most offer both, e.g. HTTPS_PROXY=http://127.0.0.1:7890), or run an HTTP-to-SOCKS bridge such as privoxy or gost and point HTTPS_PROXY at it.",
		"改用代理软件提供的 HTTP 代理端口（多数软件同时提供两种，例如 HTTPS_PROXY=http://127.0.0.1:7890），或运行 privoxy、gost 等 HTTP 转 SOCKS 工具，再把 HTTPS_PROXY 指向它。"),
	TLSHandshakeTimeout: fail(
		"The TCP connection opens but the TLS handshake never finishes.",
		"TCP 连接已建立，但 TLS 握手始终没有完成。",
		"Something on the path holds encrypted connections to this host (often SNI-based filtering). Try another network or a VPN, or use your organisation's proxy through HTTPS_PROXY.",
		"链路上有设备卡住了到这个主机的加密连接（常见于基于 SNI 的过滤）。换一个网络或使用 VPN，或通过 HTTPS_PROXY 使用单位的代理。"),
	TLSReset: fail(
		"The connection is reset during the TLS handshake.",
		"连接在 TLS 握手过程中被重置。",
		"A firewall is cutting connections once it sees the host name in the ClientHello (SNI filtering). Use another network, a VPN, or your organisation's proxy (HTTPS_PROXY); if the base URL is a relay, check the relay's TLS setup.",
		"防火墙在看到 ClientHello 中的主机名后切断了连接（SNI 过滤）。请换个网络、使用 VPN 或单位的代理（HTTPS_PROXY）；如果基础 URL 是中转服务，请检查它的 TLS 配置。"),
	TLSOldVersion: fail(
		"The server offers only TLS versions below 1.2.",
		"服务器只提供低于 1.2 的 TLS 版本。",
		"The server or a middlebox in front of it must be updated to TLS 1.2 or 1.3; Claude Code (Node.js) refuses older versions. If it is your relay or proxy, enable TLS 1.2+ in its configuration.",
		"服务器或其前面的中间设备需要升级到 TLS 1.2 或 1.3；Claude Code（Node.js）不接受更旧的版本。如果这是你自己的中转或代理，请在其配置中启用 TLS 1.2 及以上版本。"),
	TLSUntrusted: fail(
		"The certificate chain does not verify: it comes from an authority this machine does not trust.",
		"证书链验证失败：签发机构不受本机信任。",
		"If your organisation inspects TLS, get its root CA certificate (PEM) from IT and set NODE_EXTRA_CA_CERTS=/path/to/ca.pem in your shell profile (and in Claude Code's settings env); never turn verification off. If the base URL is your own relay, give it a certificate from a trusted CA or add its CA the same way.",
		"如果单位会检查 TLS 流量，请向 IT 部门索取其根 CA 证书（PEM 格式），并在 shell 配置文件（以及 Claude Code 设置的 env）中设置 NODE_EXTRA_CA_CERTS=/证书路径/ca.pem；不要关闭证书验证。如果基础 URL 是你自己的中转服务，请为它配置受信任 CA 签发的证书，或用同样的方法加入它的 CA。"),
	TLSHostnameMismatch: fail(
		"The certificate is for another host name.",
		"证书属于另一个主机名。",
		"Check the host in ANTHROPIC_BASE_URL: use the name the certificate was issued for. A captive portal or a misrouted DNS answer also gives this: sign in to the network's portal, or check DNS.",
		"检查 ANTHROPIC_BASE_URL 中的主机名，改用证书签发时对应的名称。连上需要网页登录的网络、或 DNS 解析被劫持时也会这样：请先完成网络的网页登录，或检查 DNS。"),
	TLSExpired: fail(
		"The certificate is expired or not yet valid.",
		"证书已过期或尚未生效。",
		"First check this machine's date and time (turn on automatic time). If the clock is right, the server's certificate has expired: whoever runs that server (your relay, your proxy) must renew it.",
		"先检查本机的日期和时间（打开自动对时）。如果时间没问题，就是服务器证书过期了，需要由服务器的维护者（你的中转服务或代理）续期。"),
	TLSIntercepted: warn(
		"Traffic to the Claude API is decrypted by a middlebox (verified only through the extra CA).",
		"发往 Claude API 的流量被中间设备解密了（只能通过额外 CA 验证）。",
		"This works because NODE_EXTRA_CA_CERTS trusts your organisation's inspecting proxy. If that is expected, nothing to do; if you did not expect your traffic to be inspected, ask your IT department, and note that such proxies often buffer or cut streams.",
		"之所以能连通，是因为 NODE_EXTRA_CA_CERTS 信任了单位用于流量检查的代理。如果这是预期之中的，无需处理；如果你并不知道流量会被检查，请咨询 IT 部门，并注意这类代理常常会缓存或截断流式响应。"),
	HTTP2Unavailable: warn(
		"The connection did not use HTTP/2.",
		"连接没有使用 HTTP/2。",
		"Claude Code works over HTTP/1.1, but an old proxy or relay in between is the usual cause; if you run it, enable HTTP/2 (h2) on it.",
		"Claude Code 在 HTTP/1.1 下也能工作，但这通常意味着中间有老旧的代理或中转；如果由你维护，请在其上启用 HTTP/2（h2）。"),
	ClockSkew: fail(
		"This machine's clock is more than a minute off.",
		"本机时钟偏差超过一分钟。",
		"Turn on automatic date and time (Linux: timedatectl set-ntp true; Windows: Settings → Time & language → Set time automatically; macOS: System Settings → General → Date & Time). A wrong clock breaks certificate checks and signed requests.",
		"打开自动设置日期和时间（Linux：timedatectl set-ntp true；Windows：设置 → 时间和语言 → 自动设置时间；macOS：系统设置 → 通用 → 日期与时间）。时钟不准会导致证书校验和签名请求失败。"),
	NotAnthropicAPI: fail(
		"The answer does not come from the Claude API.",
		"回应不是来自 Claude API。",
		"Something else answers: a captive portal (open a browser and sign in to the network), a gateway or relay error page, or a wrong ANTHROPIC_BASE_URL. Check the base URL, and if it is a relay, that the relay is up and forwards to the API.",
		"是别的东西在回应：可能是需要网页登录的网络（打开浏览器完成登录）、网关或中转的错误页面，或是 ANTHROPIC_BASE_URL 填错了。请检查基础 URL；如果是中转服务，确认它在运行并且会转发到 API。"),
	AuthInvalid: fail(
		"The API rejects the key (401).",
		"API 拒绝了这个密钥（401）。",
		"The key is wrong, revoked or from another organisation. Create a new key at console.anthropic.com → API keys and save it on Claude Medic's key page; also check that no stale ANTHROPIC_API_KEY in your shell profile or settings overrides it.",
		"密钥错误、已被吊销或属于其他组织。请在 console.anthropic.com 的 API Keys 页面新建密钥，并在 Claude Medic 的密钥页面保存；同时确认 shell 配置文件或设置中没有旧的 ANTHROPIC_API_KEY 把它覆盖掉。"),
	AuthForbidden: fail(
		"The key is valid but not allowed to do this (403).",
		"密钥有效，但无权执行此操作（403）。",
		"Ask the organisation's admin in console.anthropic.com to give this key's workspace access to the model or feature, or use a key from a workspace that has it.",
		"请组织管理员在 console.anthropic.com 中为该密钥所在的工作区开通相应模型或功能的权限，或者改用有权限的工作区的密钥。"),
	RegionBlocked: fail(
		"The API refuses requests from this location (403 Request not allowed).",
		"API 拒绝来自当前位置的请求（403 Request not allowed）。",
		"The Claude API is available only in supported countries and regions (see anthropic.com/supported-countries). Requests must come from a supported location; a relay or provider that serves your region (for example Claude on Amazon Bedrock or Google Vertex AI) is the supported route.",
		"Claude API 只在受支持的国家和地区提供（见 anthropic.com/supported-countries），请求必须来自受支持的地区。可以改用面向你所在地区提供服务的正规渠道（例如 Amazon Bedrock 或 Google Vertex AI 上的 Claude）。"),
	Billing: fail(
		"The API refuses for billing reasons: credit balance or spend limit.",
		"API 因计费原因拒绝：余额不足或达到支出上限。",
		"Add credits or raise the spend limit at console.anthropic.com → Plans & Billing (or ask your organisation's admin), then try again.",
		"在 console.anthropic.com 的 Plans & Billing 页面充值或提高支出上限（或联系组织管理员），然后重试。"),
	APIVersionRejected: fail(
		"The API rejects the anthropic-version header.",
		"API 拒绝了 anthropic-version 请求头。",
		"Update Claude Code (npm install -g @anthropic-ai/claude-code@latest or claude update). If the base URL is a relay, the relay rewrites or rejects the header: update or fix the relay.",
		"更新 Claude Code（npm install -g @anthropic-ai/claude-code@latest 或 claude update）。如果基础 URL 是中转服务，说明它改写或拒绝了这个请求头，请更新或修复中转服务。"),
	RateLimited: fail(
		"The API rate-limits this key (429).",
		"API 对这个密钥限流了（429）。",
		"Wait for the time retry-after gives and try again; keep CLAUDE_CODE_MAX_RETRIES at its default so Claude Code waits and retries. If it happens often, ask for a higher rate limit tier at console.anthropic.com → Limits.",
		"按 retry-after 给出的时间等待后重试；CLAUDE_CODE_MAX_RETRIES 保持默认值，让 Claude Code 自动等待重试。如果经常出现，可以在 console.anthropic.com 的 Limits 页面申请更高的限额等级。"),
	Overloaded: fail(
		"The API is overloaded (529).",
		"API 过载（529）。",
		"This is on Anthropic's side and usually passes within minutes: try again shortly, or switch to another model for now. Check status.claude.com for an incident.",
		"这是 Anthropic 服务端的问题，通常几分钟内就会恢复：稍后重试，或暂时换用其他模型。可以在 status.claude.com 查看是否有故障公告。"),
	ServerError: fail(
		"The API answers with a server error (5xx).",
		"API 返回服务器错误（5xx）。",
		"Usually temporary on Anthropic's side: try again in a moment and check status.claude.com. If the base URL is a relay or gateway, its upstream may be the one failing: check the relay's logs.",
		"通常是 Anthropic 服务端的临时问题：稍后重试，并查看 status.claude.com。如果基础 URL 是中转或网关，可能是它的上游出了问题，请查看中转服务的日志。"),
	SlowResponse: warn(
		"The API answers slowly compared with API_TIMEOUT_MS.",
		"相对于 API_TIMEOUT_MS，API 的回应偏慢。",
		"A slow network path, a busy relay or a distant proxy adds latency. Raise API_TIMEOUT_MS (e.g. to 600000) so long answers are not cut, and try a closer network path if you can.",
		"网络链路慢、中转繁忙或代理距离远都会增加延迟。把 API_TIMEOUT_MS 调大（例如 600000），避免较长的回答被中途切断；条件允许时换一条更近的网络线路。"),
	StreamEmpty: fail(
		"The stream ended before message_start: \"request ended without sending any chunks\".",
		"流在 message_start 之前就结束了：即“request ended without sending any chunks”。",
		"Something between closes streaming answers: a relay or proxy that does not support server-sent events, or an idle timeout on it. Check the relay at ANTHROPIC_BASE_URL (enable SSE, disable response buffering, raise its timeouts), or try without the proxy or relay.",
		"中间环节关闭了流式响应：可能是不支持 SSE 的中转或代理，或它设置了空闲超时。请检查 ANTHROPIC_BASE_URL 指向的中转服务（启用 SSE、关闭响应缓冲、调大超时），或者绕开代理和中转试一试。"),
	StreamTruncated: fail(
		"The stream was cut before message_stop.",
		"流在 message_stop 之前被截断了。",
		"The connection dropped mid-answer: a proxy or relay timeout, or an unstable network. Raise the timeouts of the proxy or relay in between; Claude Code retries such errors, so also keep CLAUDE_CODE_MAX_RETRIES at its default.",
		"回答进行到一半时连接断开了：可能是代理或中转的超时，或者网络不稳定。请调大中间代理或中转的超时；Claude Code 会自动重试这类错误，CLAUDE_CODE_MAX_RETRIES 保持默认即可。"),
	StreamErrorEvent: fail(
		"The API sent an error event inside the stream.",
		"API 在流中发送了 error 事件。",
		"The error is named in the summary; an overloaded_error passes within minutes (try again, check status.claude.com). If the base URL is a relay, its upstream may be failing.",
		"具体错误见上方摘要；overloaded_error 通常几分钟内就会恢复（稍后重试，并查看 status.claude.com）。如果基础 URL 是中转服务，可能是它的上游出了问题。"),
	StreamBuffered: warn(
		"The stream arrives all at once at the end: something between buffers it.",
		"流式事件在最后一次性到达：中间有东西在缓冲。",
		"A proxy or relay is buffering server-sent events, so answers appear late and long ones may time out. In nginx set proxy_buffering off (or send X-Accel-Buffering: no); in other relays turn off response buffering or compression for text/event-stream.",
		"代理或中转在缓冲 SSE 事件，因此回答会迟迟才出现，较长的回答还可能超时。nginx 请设置 proxy_buffering off（或返回 X-Accel-Buffering: no）；其他中转请对 text/event-stream 关闭响应缓冲或压缩。"),
	StreamStalled: fail(
		"The stream went silent longer than the idle limit.",
		"流式响应的静默时间超过了空闲上限。",
		"Something between holds the stream (a buffering proxy or relay) or the connection died without being closed. Check the proxy or relay in between; raising API_TIMEOUT_MS only makes the wait longer.",
		"中间环节卡住了流（会缓冲的代理或中转），或者连接已经断开却没有被关闭。请检查中间的代理或中转；调大 API_TIMEOUT_MS 只会让等待更久。"),
	UpstreamIncident: warn(
		"The status page reports an ongoing incident for the API.",
		"状态页显示 API 正在发生故障。",
		"Nothing to fix on this machine: follow the incident at status.claude.com and try again when it is resolved.",
		"本机无需处理：在 status.claude.com 关注故障进展，恢复后再试。"),
	TimeoutTooLow: warn(
		"API_TIMEOUT_MS is lower than the answers need.",
		"API_TIMEOUT_MS 低于回答所需的时间。",
		"Raise API_TIMEOUT_MS in Claude Code's settings env (Claude Medic's settings page can do it), e.g. to 600000 (10 minutes, the default), so long answers are not cut off.",
		"在 Claude Code 设置的 env 中调大 API_TIMEOUT_MS（可以在 Claude Medic 的设置页面完成），例如设为默认的 600000（10 分钟），避免较长的回答被中途切断。"),
	TLSHandshakeFailed: fail(
		"The TLS handshake failed.",
		"TLS 握手失败。",
		"The server and this machine could not agree on TLS (no common cipher, or the server sent an alert). If the base URL is a relay or proxy you run, update its TLS configuration; otherwise try another network.",
		"服务器与本机无法协商 TLS（没有共同的加密套件，或服务器发来了告警）。如果基础 URL 是你维护的中转或代理，请更新它的 TLS 配置；否则换个网络试试。"),
	NoResponse: fail(
		"The request was sent but no answer came back.",
		"请求已发出，但没有收到回应。",
		"The server or something between accepted the request and then dropped it or never answered: check the relay or proxy in between (its logs and timeouts), or try again on another network.",
		"服务器或中间环节接收了请求，却断开了连接或一直没有回应：请检查中间的中转或代理（日志和超时设置），或换个网络重试。"),
	UnexpectedResponse: warn(
		"The API answered with an error Claude Medic does not recognise.",
		"API 返回了 Claude Medic 无法识别的错误。",
		"Read the status and message above. A 404 from a relay means its ANTHROPIC_BASE_URL path is wrong (it should end before /v1); otherwise the message names the cause.",
		"请查看上面的状态码和消息。中转返回 404 通常说明 ANTHROPIC_BASE_URL 的路径不对（应在 /v1 之前结束）；其他情况请按消息所说的原因处理。"),
}
