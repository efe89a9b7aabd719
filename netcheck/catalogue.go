package netcheck

import "claudemedic/claudesettings"

// Entry is what the catalogue says about a finding code: how bad it is, a
// default summary, and a concrete fix, in English and Simplified Chinese.
type Entry struct {
	Severity Severity
	Summary  claudesettings.Text
	Fix      claudesettings.Text
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
	return Entry{SeverityFail, claudesettings.Text{EN: sumEN, ZH: sumZH}, claudesettings.Text{EN: fixEN, ZH: fixZH}}
}

func warn(sumEN, sumZH, fixEN, fixZH string) Entry {
	return Entry{SeverityWarn, claudesettings.Text{EN: sumEN, ZH: sumZH}, claudesettings.Text{EN: fixEN, ZH: fixZH}}
}

// catalogue is DESIGN.md's finding catalogue with a fix for each code.
var catalogue = map[Code]Entry{
	ConfigInvalid: fail(
		"A Claude Code setting is invalid.",
		"Claude Code 的某项设置无效。",
		"Open the file or variable named above and correct it: settings files must be valid JSON (no trailing commas or comments), API_TIMEOUT_MS a whole number of milliseconds no larger than 2147483647, ANTHROPIC_BASE_URL a full https:// URL, NODE_EXTRA_CA_CERTS a PEM file. Claude Code ignores a settings file it cannot read.",
		"打开上面提到的文件或变量并改正：设置文件必须是合法的 JSON（不能有多余的逗号或注释），API_TIMEOUT_MS 必须是不超过 2147483647 的整数毫秒数，ANTHROPIC_BASE_URL 必须是完整的 https:// 地址，NODE_EXTRA_CA_CERTS 必须指向 PEM 文件。Claude Code 会忽略无法读取的设置文件。"),
	KeyMissing: fail(
		"Claude Code is not signed in: there is no claude.ai login, API key or token anywhere it looks.",
		"Claude Code 尚未登录：在它查找的所有位置都没有 claude.ai 登录、API 密钥或令牌。",
		"With a Claude subscription (Pro, Max, Team): run claude in a terminal and type /login to sign in. To pay per use with an API key instead: create one at console.anthropic.com (API keys) and store it with Claude Medic (its Sign-in page, or claudemedic key set in a terminal), which keeps it in the system keychain and gives it to Claude Code through apiKeyHelper.",
		"如果你有 Claude 订阅（Pro、Max、Team）：在终端运行 claude 并输入 /login 登录。如果想用 API 密钥按量付费：在 console.anthropic.com 的 API Keys 页面创建密钥，并用 Claude Medic 保存（窗口的“登录”页面，或在终端运行 claudemedic key set），它会把密钥存入系统钥匙串，并通过 apiKeyHelper 交给 Claude Code。"),
	KeyMalformed: fail(
		"The key is not in the shape of an Anthropic key.",
		"密钥的格式不对，不像 Anthropic 的密钥。",
		"Copy the key again from console.anthropic.com and paste it with no quotes, spaces or line breaks around it; Claude Medic (its Sign-in page, or claudemedic key set) trims and checks it before saving.",
		"从 console.anthropic.com 重新复制密钥，粘贴时不要带引号、空格或换行；Claude Medic（窗口的“登录”页面，或 claudemedic key set）会在保存前自动去掉首尾空白并检查格式。"),
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
	ClockSkew: warn(
		"This machine's clock is more than a minute off.",
		"本机时钟偏差超过一分钟。",
		"Turn on automatic date and time (Linux: timedatectl set-ntp true; Windows: Settings → Time & language → Set time automatically; macOS: System Settings → General → Date & Time). Claude Code still answers with a clock off by hours (measured), but a clock off by days breaks certificate checks, and cloud providers refuse signed requests from a clock off by minutes.",
		"打开自动设置日期和时间（Linux：timedatectl set-ntp true；Windows：设置 → 时间和语言 → 自动设置时间；macOS：系统设置 → 通用 → 日期与时间）。时钟偏差几个小时 Claude Code 仍能回应（已实测），但偏差数天会导致证书校验失败，云服务商也会拒绝时钟偏差几分钟的签名请求。"),
	NotAnthropicAPI: fail(
		"The answer does not come from the Claude API.",
		"回应不是来自 Claude API。",
		"Something else answers: a captive portal (open a browser and sign in to the network), a gateway or relay error page, or a wrong ANTHROPIC_BASE_URL. Check the base URL, and if it is a relay, that the relay is up and forwards to the API.",
		"是别的东西在回应：可能是需要网页登录的网络（打开浏览器完成登录）、网关或中转的错误页面，或是 ANTHROPIC_BASE_URL 填错了。请检查基础 URL；如果是中转服务，确认它在运行并且会转发到 API。"),
	AuthInvalid: fail(
		"The API rejects the key (401).",
		"API 拒绝了这个密钥（401）。",
		"The key is wrong, revoked or from another organisation. Create a new key at console.anthropic.com → API keys and save it with Claude Medic (its Sign-in page, or claudemedic key set); also check that no stale ANTHROPIC_API_KEY in your shell profile or settings overrides it.",
		"密钥错误、已被吊销或属于其他组织。请在 console.anthropic.com 的 API Keys 页面新建密钥，并用 Claude Medic 保存（窗口的“登录”页面，或 claudemedic key set）；同时确认 shell 配置文件或设置中没有旧的 ANTHROPIC_API_KEY 把它覆盖掉。"),
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
		"Raise API_TIMEOUT_MS in Claude Code's settings env (Claude Medic can do it: its Settings page, or claudemedic config set-timeout), e.g. to 600000 (10 minutes, the default), so long answers are not cut off.",
		"在 Claude Code 设置的 env 中调大 API_TIMEOUT_MS（Claude Medic 可以完成：窗口的“设置”页面，或 claudemedic config set-timeout），例如设为默认的 600000（10 分钟），避免较长的回答被中途切断。"),
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
	LoginExpired: fail(
		"The claude.ai login's token is expired or revoked.",
		"claude.ai 登录的令牌已过期或被吊销。",
		"Run /login in Claude Code (or claude /login in a terminal) to sign in again. Claude Medic never refreshes the login itself: refresh tokens rotate, and refreshing one outside Claude Code can sign you out.",
		"在 Claude Code 中运行 /login（或在终端运行 claude /login）重新登录。Claude Medic 从不自行刷新登录：刷新令牌会轮换，在 Claude Code 之外刷新可能会让你被登出。"),
	KeyOverridesLogin: warn(
		"An API key or token set in the environment or settings takes precedence over your claude.ai login.",
		"环境变量或设置中的 API 密钥或令牌优先于你的 claude.ai 登录。",
		"If you mean to use your Claude subscription, remove the variable named above from your shell profile and Claude Code's settings (env), then start a new terminal; Claude Code then uses your login. Keep it only if you mean to pay per use with that key.",
		"如果你想使用 Claude 订阅，请从 shell 配置文件和 Claude Code 设置（env）中删除上面提到的变量，再打开新的终端，Claude Code 就会使用你的登录。只有当你确实想用这个密钥按量计费时才保留它。"),
	AuthConflict: warn(
		"Two credentials are set, and Claude Code sends both on every request.",
		"同时设置了两个凭据，Claude Code 每次请求都会同时发送两者。",
		"Keep one: ANTHROPIC_AUTH_TOKEN (a gateway's Bearer token), ANTHROPIC_API_KEY (an Anthropic key) or apiKeyHelper, and remove the others from your shell profile and Claude Code's settings (env). With two set, Claude Code sends one as Authorization: Bearer and the other as x-api-key, interactive sessions warn \"Auth conflict\", and the server may go by the one you did not mean.",
		"只保留一个：ANTHROPIC_AUTH_TOKEN（网关的 Bearer 令牌）、ANTHROPIC_API_KEY（Anthropic 密钥）或 apiKeyHelper，把其余的从 shell 配置文件和 Claude Code 设置（env）中删除。设置了两个时，Claude Code 会把一个作为 Authorization: Bearer、另一个作为 x-api-key 发送，交互会话会提示 “Auth conflict”，服务器可能采用你并不想用的那个。"),
	KeyHelperFailed: fail(
		"The apiKeyHelper command does not give a usable key.",
		"apiKeyHelper 命令没有给出可用的密钥。",
		"Run the apiKeyHelper command in a terminal and fix what it says (often an expired SSO or vault session: sign in again). It must exit 0 within a few seconds and print only the key on standard output, with no banner or prompt; messages belong on standard error.",
		"在终端运行 apiKeyHelper 命令，按它的提示处理（常见原因是 SSO 或 vault 会话过期：重新登录即可）。它必须在几秒内以状态 0 退出，并且只在标准输出上打印密钥，不能有横幅或提示语；其他信息请写到标准错误。"),
	BaseURLPath: fail(
		"ANTHROPIC_BASE_URL carries a path, query string or fragment that breaks Claude Code's requests.",
		"ANTHROPIC_BASE_URL 带有会破坏 Claude Code 请求路径的路径、查询字符串或片段。",
		"Write ANTHROPIC_BASE_URL as the server's address only, the way its documentation gives it for Claude Code (e.g. https://relay.example.com or https://api.example.com/anthropic): Claude Code adds /v1/messages itself, so a base URL ending in /v1 makes it call /v1/v1/messages, and anything after ? or # swallows the path it adds.",
		"ANTHROPIC_BASE_URL 只写服务器地址，按服务商为 Claude Code 提供的说明填写（例如 https://relay.example.com 或 https://api.example.com/anthropic）：Claude Code 会自己加上 /v1/messages，以 /v1 结尾会让它请求 /v1/v1/messages，而 ? 或 # 之后的内容会吞掉它加上的路径。"),
	BaseURLCredentials: warn(
		"ANTHROPIC_BASE_URL holds a user name and password.",
		"ANTHROPIC_BASE_URL 中含有用户名和密码。",
		"Claude Code sends them as HTTP Basic auth on every request, and drops them when ANTHROPIC_AUTH_TOKEN is set; they also sit in plain text wherever the base URL is written. If the relay needs no Basic auth, remove the user:password@ part; if it does, keep it out of shared settings files (put it in ~/.claude/settings.local.json or your shell profile).",
		"Claude Code 会在每个请求中把它们作为 HTTP Basic 认证发送；设置了 ANTHROPIC_AUTH_TOKEN 时则丢弃它们；它们还会以明文保存在写有基础 URL 的地方。如果中转服务不需要 Basic 认证，请删掉 user:password@ 部分；如果需要，请不要把它放进共享的设置文件（放到 ~/.claude/settings.local.json 或 shell 配置文件中）。"),
	BaseURLScheme: fail(
		"The base URL's scheme does not match the port: http:// to a TLS port, or https:// to a plain-HTTP one.",
		"基础 URL 的协议与端口不符：对 TLS 端口用了 http://，或对明文 HTTP 端口用了 https://。",
		"Change the start of ANTHROPIC_BASE_URL: use https:// when the server speaks TLS (it answers \"Client sent an HTTP request to an HTTPS server\"), and http:// for a local router that listens without TLS.",
		"修改 ANTHROPIC_BASE_URL 的开头：服务器使用 TLS 时用 https://（它会回复 “Client sent an HTTP request to an HTTPS server”），不带 TLS 的本地路由服务用 http://。"),
	NotAnthropicFormat: fail(
		"The endpoint does not serve Anthropic's Messages API: it speaks another format, such as OpenAI's chat format.",
		"这个端点不提供 Anthropic 的 Messages API：它使用另一种格式，例如 OpenAI 的聊天格式。",
		"Claude Code needs an endpoint that serves POST /v1/messages in Anthropic's format. Use the provider's Anthropic-compatible address if it has one, or run a translating router (such as claude-code-router or LiteLLM) and point ANTHROPIC_BASE_URL at it.",
		"Claude Code 需要一个以 Anthropic 格式提供 POST /v1/messages 的端点。如果服务商提供 Anthropic 兼容地址，请改用它；否则运行一个做格式转换的路由服务（如 claude-code-router 或 LiteLLM），并把 ANTHROPIC_BASE_URL 指向它。"),
	BetaRejected: fail(
		"The gateway rejects the anthropic-beta values Claude Code cannot do without.",
		"网关拒绝了 Claude Code 必需的 anthropic-beta 值。",
		"Claude Code already retries with fewer betas, down to claude-code-20250219, interleaved-thinking-2025-05-14 and effort-2025-11-24, and this gateway rejects even those. Ask the gateway's operator to pass the anthropic-beta header through (or to drop it rather than refuse the request), or point ANTHROPIC_BASE_URL at an endpoint that accepts it. CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1 only spares Claude Code the retries (and helps an older Claude Code that does not retry).",
		"Claude Code 本身会逐步减少 beta 重试，直到只剩 claude-code-20250219、interleaved-thinking-2025-05-14 和 effort-2025-11-24，而这个网关连这些也拒绝。请网关维护者放行 anthropic-beta 请求头（或把它去掉而不是拒绝请求），或把 ANTHROPIC_BASE_URL 指向接受它的端点。CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1 只能免去 Claude Code 的重试（对不会重试的旧版 Claude Code 有用）。"),
	ModelUnavailable: fail(
		"The model Claude Code is set to use is not offered at this endpoint.",
		"Claude Code 设定使用的模型在这个端点上不可用。",
		"Pick a model the endpoint offers: run /model in Claude Code, or change ANTHROPIC_MODEL (or \"model\" in settings) to one the relay or your plan supports; remove the setting to use Claude Code's default.",
		"改用端点提供的模型：在 Claude Code 中运行 /model，或把 ANTHROPIC_MODEL（或设置中的 \"model\"）改成中转服务或你的套餐支持的模型；删除该设置即可使用 Claude Code 的默认模型。"),
	IPv6Broken: fail(
		"The host's IPv6 addresses fail while its IPv4 ones work.",
		"该主机的 IPv6 地址无法连通，而 IPv4 地址可以。",
		"Claude Code tries IPv6 first and, once an IPv6 connection is accepted, does not fall back to IPv4 when it breaks. Fix IPv6 on this network (or ask its administrator), or turn IPv6 off for this connection; if the base URL is your relay, remove its AAAA record or make it serve on IPv6 too.",
		"Claude Code 会优先使用 IPv6；IPv6 连接一旦被接受，之后即使中断也不会回退到 IPv4。请修复本网络的 IPv6（或联系网络管理员），或为这个连接关闭 IPv6；如果基础 URL 是你自己的中转服务，请删除它的 AAAA 记录，或让它同时在 IPv6 上提供服务。"),
	TLSPQBlocked: fail(
		"The TLS handshake is reset when it carries a post-quantum key share, and succeeds without one.",
		"TLS 握手携带后量子密钥交换时会被重置，不带时则能成功。",
		"A firewall or middlebox on the path drops ClientHello messages larger than one packet (Claude Code's is about 1.5 KB). Ask the network's administrator to update it or allow large ClientHellos, or use another network or your organisation's proxy (HTTPS_PROXY).",
		"链路上的防火墙或中间设备会丢弃超过一个数据包大小的 ClientHello（Claude Code 的约为 1.5 KB）。请网络管理员升级该设备或放行较大的 ClientHello，或者换个网络、使用单位的代理（HTTPS_PROXY）。"),
	CAFileInvalid: warn(
		"NODE_EXTRA_CA_CERTS names a file Claude Code cannot use, so it ignores it.",
		"NODE_EXTRA_CA_CERTS 指向的文件 Claude Code 无法使用，因此被忽略。",
		"Point NODE_EXTRA_CA_CERTS at a readable PEM file (text starting with -----BEGIN CERTIFICATE-----) holding your organisation's CA; convert a DER file with: openssl x509 -inform der -in ca.cer -out ca.pem. Set it in your shell profile, where Claude Code reads it at start.",
		"让 NODE_EXTRA_CA_CERTS 指向一个可读的 PEM 文件（以 -----BEGIN CERTIFICATE----- 开头的文本），其中包含单位的 CA 证书；DER 文件可以这样转换：openssl x509 -inform der -in ca.cer -out ca.pem。请在 shell 配置文件中设置它，Claude Code 启动时会读取。"),
	CloudCredentialsMissing: fail(
		"A cloud provider is selected, but its credentials are nowhere Claude Code looks.",
		"已选择云服务商，但在 Claude Code 会查找的位置都没有它的凭据。",
		"Sign in to the provider the way its tools do: for Bedrock, aws configure or aws sso login (or AWS_PROFILE, or AWS_BEARER_TOKEN_BEDROCK); for Vertex, gcloud auth application-default login; for Foundry, set ANTHROPIC_FOUNDRY_API_KEY or sign in with the Azure CLI. If you did not mean to use a cloud provider, remove CLAUDE_CODE_USE_BEDROCK, CLAUDE_CODE_USE_VERTEX or CLAUDE_CODE_USE_FOUNDRY.",
		"按服务商自己的工具登录：Bedrock 用 aws configure 或 aws sso login（或设置 AWS_PROFILE、AWS_BEARER_TOKEN_BEDROCK）；Vertex 用 gcloud auth application-default login；Foundry 设置 ANTHROPIC_FOUNDRY_API_KEY 或用 Azure CLI 登录。如果你并不想使用云服务商，请删除 CLAUDE_CODE_USE_BEDROCK、CLAUDE_CODE_USE_VERTEX 或 CLAUDE_CODE_USE_FOUNDRY。"),
	CloudRegionMissing: warn(
		"Bedrock or Vertex is selected without a region, or Foundry without a resource.",
		"已选择 Bedrock 或 Vertex 但没有设置区域，或已选择 Foundry 但没有设置资源。",
		"Set the region where your Claude models are enabled: AWS_REGION (e.g. us-east-1) for Bedrock, CLOUD_ML_REGION (e.g. us-east5, or global) for Vertex; for Foundry set ANTHROPIC_FOUNDRY_RESOURCE (or ANTHROPIC_FOUNDRY_BASE_URL). Put it in your shell profile or Claude Code's settings env. Without a region Claude Code uses us-east-1 (Bedrock) or us-east5 (Vertex); without a resource Foundry cannot be reached at all.",
		"设置启用了 Claude 模型的区域：Bedrock 用 AWS_REGION（例如 us-east-1），Vertex 用 CLOUD_ML_REGION（例如 us-east5 或 global）；Foundry 请设置 ANTHROPIC_FOUNDRY_RESOURCE（或 ANTHROPIC_FOUNDRY_BASE_URL）。可写在 shell 配置文件或 Claude Code 设置的 env 中。未设置区域时，Claude Code 会使用 us-east-1（Bedrock）或 us-east5（Vertex）；未设置资源时根本无法连接 Foundry。"),
	ClaudeCodeOutdated: warn(
		"A newer Claude Code is published than the one installed.",
		"已发布了比本机安装版本更新的 Claude Code。",
		"Update Claude Code: claude update for the native install, or npm install -g @anthropic-ai/claude-code@latest for an npm one (Claude Medic can run the right one). Many connection and streaming errors are fixed in newer versions.",
		"更新 Claude Code：原生安装用 claude update，npm 安装用 npm install -g @anthropic-ai/claude-code@latest（Claude Medic 可以代为运行对应的命令）。许多连接和流式响应错误在新版本中已修复。"),
	ClaudeCodeMultiple: warn(
		"Two installs of Claude Code are on this machine; the shell runs only the first on the PATH.",
		"本机装了两份 Claude Code；shell 只会运行 PATH 中排在前面的那一份。",
		"Keep one install: remove the other (npm uninstall -g @anthropic-ai/claude-code for the npm one, or delete the native one under ~/.local/bin and ~/.local/share/claude), so an update changes the Claude Code you actually run.",
		"只保留一份安装：删除另一份（npm 安装用 npm uninstall -g @anthropic-ai/claude-code，原生安装删除 ~/.local/bin 和 ~/.local/share/claude 下的文件），这样更新才会作用于你实际运行的 Claude Code。"),
	ClaudeCodeNotFound: warn(
		"Claude Code is not installed where a shell would find it.",
		"在 shell 会查找的位置没有找到 Claude Code。",
		"Install Claude Code (curl -fsSL https://claude.ai/install.sh | bash, or npm install -g @anthropic-ai/claude-code), or add the folder it is installed in to your PATH.",
		"安装 Claude Code（curl -fsSL https://claude.ai/install.sh | bash，或 npm install -g @anthropic-ai/claude-code），或把它所在的文件夹加入 PATH。"),
	ClaudeCodeVersionUnknown: warn(
		"The installed Claude Code does not say its version.",
		"已安装的 Claude Code 没有给出版本号。",
		"Run claude --version in a terminal. If it hangs or prints an error, the install is damaged: reinstall it (claude install for the native one, or npm install -g @anthropic-ai/claude-code@latest for an npm one). If claude is another program of the same name, rename or remove it.",
		"在终端运行 claude --version。如果它卡住或报错，说明安装已损坏：请重新安装（原生安装用 claude install，npm 安装用 npm install -g @anthropic-ai/claude-code@latest）。如果 claude 是另一个同名程序，请将其改名或删除。"),
	UnexpectedResponse: warn(
		"The API answered with an error Claude Medic does not recognise.",
		"API 返回了 Claude Medic 无法识别的错误。",
		"Read the status and message above: the message names the cause. When it comes from a relay or router, its operator (or its log) can say what it means.",
		"请查看上面的状态码和消息：消息中写明了原因。如果它来自中转或路由服务，可以询问其维护者（或查看其日志）了解含义。"),
	CustomHeadersInvalid: fail(
		"ANTHROPIC_CUSTOM_HEADERS has a header Claude Code refuses.",
		"ANTHROPIC_CUSTOM_HEADERS 中有 Claude Code 拒绝的请求头。",
		"Write ANTHROPIC_CUSTOM_HEADERS as one header a line, \"Name: value\", with a name of letters, digits and dashes only (no spaces, no empty name), e.g. X-Team: blue. Several headers go on separate lines (in settings.json: \"X-Team: blue\\nX-Other: 1\"). Or remove the variable if your gateway does not need it.",
		"把 ANTHROPIC_CUSTOM_HEADERS 写成每行一个请求头 “Name: value”，名称只能由字母、数字和短横线组成（不能有空格，不能为空），例如 X-Team: blue。多个请求头分行写（在 settings.json 中写作 \"X-Team: blue\\nX-Other: 1\"）。如果网关并不需要它，也可以删掉这个变量。"),
	SystemRoleRejected: fail(
		"The gateway refuses the system role Claude Code puts inside messages.",
		"网关拒绝 Claude Code 放在 messages 中的 system 角色。",
		"Update Claude Code (claude update, or npm install -g @anthropic-ai/claude-code@latest): since 2.1.330 it sends the request again without the system message when a gateway refuses it (measured), and works. Also ask the gateway's operator to accept role \"system\" in messages, as the Claude API does.",
		"更新 Claude Code（claude update，或 npm install -g @anthropic-ai/claude-code@latest）：从 2.1.330 起，网关拒绝时它会去掉 system 消息后重发请求（已实测），可以正常工作。也请网关维护者像 Claude API 一样接受 messages 中的 \"system\" 角色。"),
	ParamRejected: fail(
		"The gateway refuses a request parameter Claude Code sends.",
		"网关拒绝 Claude Code 发送的某个请求参数。",
		"The gateway (or the model behind it) does not know a parameter of the Messages API that Claude Code sends (thinking, context_management, output_config, metadata). Ask its operator to update it or to pass the request through unchanged; gateways built for Claude Code (LiteLLM, new-api, claude-code-router) accept them in their current releases. Claude Code cannot leave them out.",
		"网关（或其后的模型）不认识 Claude Code 发送的某个 Messages API 参数（thinking、context_management、output_config、metadata）。请其维护者升级网关，或让它原样转发请求；面向 Claude Code 的网关（LiteLLM、new-api、claude-code-router）的当前版本都接受这些参数。Claude Code 无法省略它们。"),
	GatewayPage: fail(
		"A firewall or gateway answered with its own page instead of the API's answer.",
		"防火墙或网关用自己的页面代替了 API 的回应。",
		"A web application firewall, CDN or company gateway between you and the API blocked the request (its page is named above). If the endpoint is a relay, ask its operator to let API clients through (no browser challenge, no CAPTCHA on /v1/messages); on a company network, ask IT to allow the endpoint, or set HTTPS_PROXY to the proxy they name.",
		"你与 API 之间的 Web 应用防火墙、CDN 或公司网关拦截了请求（上面给出了其页面标题）。如果端点是中转服务，请其维护者放行 API 客户端（/v1/messages 上不要浏览器验证或验证码）；在公司网络中，请 IT 放行该端点，或把 HTTPS_PROXY 设为他们指定的代理。"),
	BodyTooLarge: fail(
		"The gateway refuses the request as too large (413).",
		"网关以请求过大为由拒绝（413）。",
		"Claude Code's requests are about 50 KB to start with and grow to megabytes in a long session or with images. Raise the gateway's body limit to at least 32 MB (nginx: client_max_body_size 32m; then reload it), or ask its operator to.",
		"Claude Code 的请求一开始就约有 50 KB，在长会话或带图片时会增长到数 MB。请把网关的请求体上限提高到至少 32 MB（nginx：client_max_body_size 32m，然后重新加载），或请其维护者调整。"),
	ClaudeCodeVersionTooOld: fail(
		"The model or the API asks for a newer Claude Code than the one installed.",
		"模型或 API 要求使用比本机安装版本更新的 Claude Code。",
		"Update Claude Code: claude update for the native install, or npm install -g @anthropic-ai/claude-code@latest for an npm one; then check again. Until then, pick an older model with /model or ANTHROPIC_MODEL.",
		"更新 Claude Code：原生安装用 claude update，npm 安装用 npm install -g @anthropic-ai/claude-code@latest，然后再检查一次。在此之前，可以用 /model 或 ANTHROPIC_MODEL 选择较旧的模型。"),
	UpstreamRejected: fail(
		"The router passed on its upstream provider's refusal.",
		"路由服务转达了其上游服务商的拒绝。",
		"The router itself works; the provider it forwards to refused the request (its words are above). Fix it in the router's own configuration (claude-code-router: ~/.claude-code-router/config.json, the provider's api_base_url, api_key and models), restart the router, and check again.",
		"路由服务本身正常；它转发到的服务商拒绝了请求（上面是服务商的原话）。请在路由服务自己的配置中修正（claude-code-router：~/.claude-code-router/config.json 中该服务商的 api_base_url、api_key 和 models），重启路由服务后再检查。"),
	RequestRefused: fail(
		"The endpoint refuses the request Claude Code sends (POST /v1/messages) with an error Claude Medic does not recognise.",
		"端点以 Claude Medic 无法识别的错误拒绝了 Claude Code 发送的请求（POST /v1/messages）。",
		"Claude Code cannot work while this request is refused: it shows this error for every prompt. Read the status and message above: a 400 or 422 about a field means the gateway does not accept Claude Code's request format; ask its operator, or try CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1.",
		"只要这个请求被拒绝，Claude Code 就无法工作：每次提问都会显示这个错误。请查看上面的状态码和消息：关于某个字段的 400 或 422 表示网关不接受 Claude Code 的请求格式；请询问其维护者，或尝试设置 CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1。"),
}
