"""Given names that tell a person's gender: world knowledge, like `countries.py`.

A pronoun ("she said") can only refer to a person of its gender; most articles never say
"Mr" or "Ms", but the given name usually tells. These are common given names of the
English-language press (US, UK, European and world leaders' names), chosen to be
unambiguous: names given to both boys and girls (Jordan, Taylor, Leslie, Robin, Jean...)
are left out, so they stay unknown rather than guessed.

Beside these typed lists, `lexicons/given_names.toml` holds the names they lack that
names-dataset gives to one gender in at least 99 bearers of 100 (built by
bench/build_given_names.py). A typed name keeps its gender: the dataset's shares, drawn from
social-network profiles, are noisy for the names news is about (Hillary 78% women).
"""
from transforms.lexicons import words

MALE = frozenset("""
aaron abdul abdullah abraham adam adrian ahmed alan albert alberto alejandro alex alexander alexei
alfred ali alistair allen alvin amir andre andreas andrei andrew andy angelo anthony antonio arnold
arthur barack barry ben benjamin benny bernard bernie bill billy bob bobby boris brad bradley brandon
brendan brent brett brian bruce bryan carl carlos charles charlie chuck chad christian christopher
clarence claude clint colin craig curtis dale dan daniel danny darren dave david dean dennis
derek dick diego dimitri dmitry don donald doug douglas duncan dwight earl ed eddie edgar eduardo
edward edwin elijah elliot emmanuel enrique eric erik ernest ethan eugene evan felipe fernando francis
francisco frank franklin fred freddie frederick gabriel gary gavin gene geoffrey george gerald gerard
gilbert glenn gordon graham grant greg gregory gustavo guy hank harold harry harvey hassan hector henry
herbert howard hugh hugo ian igor isaac ivan jack jacob jake james jared jason javier jay jeb jeff
jeffrey jeremy jerome jerry jesse jim jimmy joe joel john johnny jon jonathan jorge jose joseph josh
joshua juan julian justin karl keith ken kenneth kevin kirk kurt larry lawrence leonard
leo leon lloyd louis luis luke malcolm manuel marco marcus mario mark martin marvin matt
matthew maurice max michael miguel mike mikhail milton mitch mitt mohamed mohammad mohammed muhammad
nathan neil nicholas nick nicolas nigel noah norman oliver omar oscar owen pablo patrick paul pedro
pete peter phil philip phillip pierre rafael ralph ramon randy raul ray raymond reggie reince
richard rick rob robert roberto rod rodney roger roland ron ronald ross roy rudy russell ryan
salvador sam samuel scott sean sebastian sergei sergio seth shawn sidney simon stanley stephen steve
steven stuart ted terry theodore thomas tim timothy todd tom tommy tony travis trey troy tyler
victor vince vincent vladimir walter warren wayne wesley william willie wolfgang xavier yusuf zach
zachary
""".split())

FEMALE = frozenset("""
abigail ada adriana agnes aisha alexandra alice alicia alison allison amanda amber amelia amy ana
andrea angela angelina anita ann anna anne annette antonia april barbara beatrice becky belinda
bernadette beth betsy betty beverly bianca bonnie brenda bridget brittany camila carla carly carmen
carol caroline carolyn cassandra catherine cathy cecilia cecile charlotte chelsea cheryl chloe
christina christine cindy claire clara claudia colleen connie constance cynthia daisy daniela
danielle deborah debbie debra denise diana diane dolores donna doris dorothy edith eileen elaine
eleanor elena elisabeth elise eliza elizabeth ella ellen elsa emily emma erica erin esther eva evelyn
fatima felicia fiona florence frances gabriela gabrielle gail genevieve georgia geraldine gina
gloria grace gretchen gwen hannah harriet heather heidi helen helena hillary holly ida ilhan ingrid
irene iris isabel isabella jackie jacqueline jane janet janice jasmine jeanne jennifer jenny jessica
jill joan joanna joanne josephine joy joyce judith judy julia julie juliet june karen kate katherine
kathleen kathryn kathy katie katrina kayla kirsten kristen kristin laura lauren leah linda
lisa lois loretta lori louise lucia lucy lydia lynn madeleine madison maggie marcia margaret maria
marie marilyn marina marion marjorie martha mary maxine megan megyn melania melanie melinda melissa
meredith mia michelle mildred miriam molly monica nancy naomi natalie natasha nicola nicole nikki
nina nora olga olivia pamela patricia paula pauline peggy penny phyllis priscilla rachel rebecca
regina renee rita roberta rosa rosalind rose rosemary ruth sabrina sally samantha sandra sara sarah
sharon sheila shirley silvia sofia sonia sophia sophie stacey stephanie susan susanne suzanne sylvia
tamara tammy teresa theresa tiffany tina ursula valerie vanessa vera veronica victoria
virginia vivian wanda wendy whitney yolanda yvonne zoe
""".split())

# The names-dataset supplement (see above); it holds no typed name.
MORE_MALE = words("given_names", "male")
MORE_FEMALE = words("given_names", "female")


def gender_of_given_name(name: str) -> str | None:
    """'m' or 'f' for a known given name (any case), else None."""
    key = name.casefold().strip(".")
    if key in MALE:
        return "m"
    if key in FEMALE:
        return "f"
    if key in MORE_MALE:
        return "m"
    if key in MORE_FEMALE:
        return "f"
    return None
