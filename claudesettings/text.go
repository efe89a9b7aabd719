package claudesettings

// Text is a sentence in English and Simplified Chinese.
type Text struct {
	EN string
	ZH string
}

// In returns the text in lang ("zh…" picks Chinese; anything else English).
func (t Text) In(lang string) string {
	if len(lang) >= 2 && (lang[:2] == "zh" || lang[:2] == "ZH") && t.ZH != "" {
		return t.ZH
	}
	return t.EN
}
