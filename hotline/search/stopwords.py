"""Words that say nothing about what a caller needs, left out of queries (never of the index)."""

from __future__ import annotations

_ZH = """
的 了 是 在 我 我们 你 你们 您 他 她 它 他们 她们 这 那 这个 那个 这里 那里 这边 那边 什么 怎么
怎么办 怎么样 时候 吗 呢 吧 啊 呀 哦 嗯 和 与 及 或 或者 就 也 都 还 又 很 太 有 没 被 把 给 让 对
向 从 到 请问 请 一下 一个 今天 现在 已经 能 能不能 可以 要 想 会 哪里 哪儿 为什么 多少 几 问
一直 老是 总是 好 啦 嘛 喂 你好 您好 谢谢 麻烦 帮 帮忙 知道 告诉 一 下 个 着 过 得 地 去 来 说
"""
_EN = """
the a an is are was were be been to of in on at for and or my our we i me you your it its this that
these those what when where how why who do does did can could will would please there here have has
had not no with from about any some get got is there hi hello thanks thank
"""
_KO = "그리고 그런데 저희 제가 우리 좀 언제 어떻게 왜 뭐 그 이 저 것 수 등 안녕하세요 감사합니다"

STOPWORDS = frozenset((_ZH + _EN + _KO).split())
